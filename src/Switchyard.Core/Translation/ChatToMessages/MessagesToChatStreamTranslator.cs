using System.Text;
using System.Text.Json;
using Switchyard.Accounting;
using Switchyard.Errors;
using Switchyard.Memory;

namespace Switchyard.Translation.ChatToMessages;

/// <summary>
/// The pure state machine that turns an Anthropic Messages stream into Chat Completions chunks (DeepSeek's shape).
/// Feed it each SSE event (name and parsed <c>data</c>); write every chunk it returns as <c>data: {json}\n\n</c>, and
/// <c>data: [DONE]\n\n</c> once <see cref="IsComplete"/> is true.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>message_start</c> → the first chunk, <c>delta:{role:"assistant",content:""}</c>. Every chunk shares the message's
/// id (<see cref="MessagesToChatResponseTranslator.CompletionId"/>), <c>created</c> and the upstream's <c>model</c>.</item>
/// <item><c>thinking_delta</c> → <c>delta.reasoning_content</c> (a blank line separates consecutive thinking blocks, as in the
/// non-streaming response); <c>text_delta</c> → <c>delta.content</c>.</item>
/// <item><c>tool_use</c> block start → <c>tool_calls:[{index, id, type:"function", function:{name, arguments:""}}]</c> where
/// index counts tool calls from 0 (not Anthropic block indices); <c>input_json_delta</c> → <c>{index, function:{arguments}}</c>.
/// A tool call whose input arrived with no delta gets its whole input (or <c>{}</c>) as one fragment at block stop.</item>
/// <item><c>signature_delta</c> → remembered in the <see cref="IReasoningMemory"/> at block stop; at the end of the message the
/// joined reasoning is remembered under the tool call ids (see <see cref="ReasoningKeys"/>).</item>
/// <item>The first <c>message_delta</c> → the final chunk: empty delta, <c>finish_reason</c>, and <c>usage</c> (DeepSeek always
/// puts usage there). With <c>include_usage</c>, also OpenAI's usage-only chunk (<c>choices:[]</c>) right after it, and
/// <c>"usage":null</c> on every other chunk; without it the other chunks have no <c>usage</c>.</item>
/// <item><c>message_stop</c> → <see cref="IsComplete"/> (with a final chunk first if no <c>message_delta</c> came).</item>
/// <item><c>error</c> → a <see cref="GatewayException"/> of the matching kind (overloaded_error → 529, rate_limit_error → 429, …).
/// The caller turns it into an OpenAI error chunk (<see cref="ErrorBodies.OpenAIBytes"/>), then ends the stream (no <c>[DONE]</c>).</item>
/// <item><c>ping</c>, <c>citations_delta</c>, server-tool blocks and unknown events are ignored.</item>
/// </list>
/// Not thread-safe: one instance per stream. Memory is bounded by the reasoning text, which is kept to key its signature.
/// </remarks>
public sealed class MessagesToChatStreamTranslator
{
    private readonly IReasoningMemory _memory;
    private readonly bool _includeUsage;
    private readonly TimeProvider _time;
    private readonly ChatChunkWriter _chunks;
    private readonly Dictionary<long, BlockState> _blocks = [];
    private readonly List<string> _toolIds = [];
    private readonly ReasoningRecorder _reasoning = new();
    private TokenUsage _usage;
    private bool _reasoningCounted;
    private bool _started;
    private bool _finished;
    private bool _reasoningEmitted;

    /// <summary>Creates the state machine for one stream.</summary>
    /// <param name="memory">Where thinking signatures are remembered.</param>
    /// <param name="includeUsage">The client's <c>stream_options.include_usage</c>.</param>
    /// <param name="time">The clock for <c>created</c>; the system clock when <see langword="null"/>.</param>
    public MessagesToChatStreamTranslator(IReasoningMemory memory, bool includeUsage, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(memory);
        _memory = memory;
        _includeUsage = includeUsage;
        _time = time ?? TimeProvider.System;
        _chunks = new ChatChunkWriter(includeUsage);
    }

    private enum BlockKind
    {
        Other,
        Thinking,
        Text,
        Tool,
    }

    /// <summary>True once the final chunk was produced and <c>message_stop</c> arrived: write <c>data: [DONE]</c>.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>True once the chunk with the <c>finish_reason</c> was produced.</summary>
    public bool Finished => _finished;

    /// <summary>The completion id shared by all chunks (empty before <c>message_start</c>).</summary>
    public string Id => _chunks.Id;

    /// <summary>True once a chunk with generated content (reasoning, text or a tool call) was produced.</summary>
    public bool HasContent { get; private set; }

    /// <summary>The usage as the client was told it (cumulative over the stream).</summary>
    public TokenUsage Usage => _usage;

    /// <summary>The <c>finish_reason</c> the client was told, once the final chunk was produced.</summary>
    public string? FinishReason { get; private set; }

    /// <summary>Translates one upstream event; the chunks it produces (UTF-8 JSON) are appended to <paramref name="output"/>.</summary>
    /// <param name="eventName">The SSE event name; when null or <c>message</c>, the <c>type</c> of <paramref name="data"/> is used.</param>
    /// <param name="data">The event's parsed <c>data</c>.</param>
    /// <param name="output">Receives the chunks.</param>
    /// <exception cref="GatewayException">For an <c>error</c> event, or a <c>message_stop</c> before anything was started.</exception>
    public void Process(string? eventName, JsonElement data, List<byte[]> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (data.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var type = eventName is null or "message" ? ChatJson.GetString(data, "type") : eventName;
        switch (type)
        {
            case "message_start":
                OnMessageStart(data, output);
                break;
            case "content_block_start":
                Start(output);
                OnBlockStart(data, output);
                break;
            case "content_block_delta":
                Start(output);
                OnBlockDelta(data, output);
                break;
            case "content_block_stop":
                OnBlockStop(data, output);
                break;
            case "message_delta":
                Start(output);
                if (data.TryGetProperty("usage", out var usage))
                {
                    Update(usage);
                }

                if (!_finished)
                {
                    var stopReason = data.TryGetProperty("delta", out var delta) ? ChatJson.GetString(delta, "stop_reason") : null;
                    Finish(stopReason, output);
                }

                break;
            case "message_stop":
                if (!_started)
                {
                    throw new GatewayException(GatewayErrorKind.Api, "The upstream stream ended before it started a message.");
                }

                if (!_finished)
                {
                    Finish(null, output);
                }

                IsComplete = true;
                break;
            case "error":
                throw ErrorBodies.FromAnthropic(data);
        }
    }

    /// <summary>Call when the upstream stream ended; throws when it ended before the message was complete.</summary>
    /// <exception cref="GatewayException">500 <c>api_error</c>: the stream was cut short.</exception>
    public void Complete()
    {
        if (!_finished)
        {
            throw new GatewayException(GatewayErrorKind.Api, "The upstream stream ended before the response was complete.");
        }

        IsComplete = true;
    }

    private void OnMessageStart(JsonElement data, List<byte[]> output)
    {
        if (_started)
        {
            return;
        }

        if (data.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object)
        {
            _chunks.Id = MessagesToChatResponseTranslator.CompletionId(ChatJson.GetString(message, "id"));
            _chunks.Model = ChatJson.GetString(message, "model") ?? string.Empty;
            if (message.TryGetProperty("usage", out var usage))
            {
                Update(usage);
            }
        }

        Start(output);
    }

    private void Start(List<byte[]> output)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        if (_chunks.Id.Length == 0)
        {
            _chunks.Id = MessagesToChatResponseTranslator.CompletionId(null);
        }

        _chunks.Created = _time.GetUtcNow().ToUnixTimeSeconds();
        output.Add(_chunks.Role());
    }

    private void OnBlockStart(JsonElement data, List<byte[]> output)
    {
        var index = BlockIndex(data);
        if (!data.TryGetProperty("content_block", out var block) || block.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var state = new BlockState();
        _blocks[index] = state;
        switch (ChatJson.GetString(block, "type"))
        {
            case "thinking":
                state.Kind = BlockKind.Thinking;
                state.Signature.Append(ChatJson.GetString(block, "signature"));
                EmitReasoning(state, ChatJson.GetString(block, "thinking"), output);
                break;
            case "redacted_thinking":
                if (ChatJson.GetString(block, "data") is { } redacted)
                {
                    _reasoning.AddRedacted(redacted);
                }

                break;
            case "text":
                state.Kind = BlockKind.Text;
                EmitText(ChatJson.GetString(block, "text"), output);
                break;
            case "tool_use":
                state.Kind = BlockKind.Tool;
                HasContent = true;
                state.ToolIndex = _toolIds.Count;
                var id = ChatJson.GetString(block, "id") ?? string.Empty;
                var name = ChatJson.GetString(block, "name") ?? string.Empty;
                _toolIds.Add(id);
                if (block.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Object && input.EnumerateObject().Any())
                {
                    state.StartInput = input.GetRawText();
                }

                output.Add(_chunks.ToolCallStart(state.ToolIndex, id, name));
                break;
        }
    }

    private void OnBlockDelta(JsonElement data, List<byte[]> output)
    {
        if (!_blocks.TryGetValue(BlockIndex(data), out var state) || !data.TryGetProperty("delta", out var delta))
        {
            return;
        }

        switch (ChatJson.GetString(delta, "type"))
        {
            case "thinking_delta" when state.Kind == BlockKind.Thinking:
                EmitReasoning(state, ChatJson.GetString(delta, "thinking"), output);
                break;
            case "signature_delta" when state.Kind == BlockKind.Thinking:
                state.Signature.Append(ChatJson.GetString(delta, "signature"));
                break;
            case "text_delta":
                EmitText(ChatJson.GetString(delta, "text"), output);
                break;
            case "input_json_delta" when state.Kind == BlockKind.Tool:
                var fragment = ChatJson.GetString(delta, "partial_json");
                if (!string.IsNullOrEmpty(fragment))
                {
                    state.ArgumentsEmitted = true;
                    EmitArguments(state.ToolIndex, fragment, output);
                }

                break;
        }
    }

    private void OnBlockStop(JsonElement data, List<byte[]> output)
    {
        var index = BlockIndex(data);
        if (!_blocks.Remove(index, out var state))
        {
            return;
        }

        if (state.Kind == BlockKind.Thinking)
        {
            var text = state.Thinking.ToString();
            var signature = state.Signature.ToString();
            _reasoning.AddThinking(text, signature);
            if (text.Length > 0 && signature.Length > 0)
            {
                _memory.Remember(ReasoningKeys.ForReasoningText(text), new ReasoningEntry(text, signature));
            }
        }
        else if (state.Kind == BlockKind.Tool && !state.ArgumentsEmitted)
        {
            EmitArguments(state.ToolIndex, state.StartInput ?? "{}", output);
        }
    }

    private void Finish(string? stopReason, List<byte[]> output)
    {
        _finished = true;
        _reasoning.Remember(_memory, _toolIds);
        var finishReason = StopReasons.ToFinishReason(stopReason, _toolIds.Count > 0);
        FinishReason = finishReason;
        output.Add(_chunks.Final(finishReason, _usage, _reasoningCounted));
        if (_includeUsage)
        {
            output.Add(_chunks.UsageOnly(_usage, _reasoningCounted));
        }
    }

    private void EmitReasoning(BlockState state, string? text, List<byte[]> output)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        HasContent = true;
        var value = _reasoningEmitted && state.Thinking.Length == 0 ? ReasoningRecorder.Separator + text : text;
        state.Thinking.Append(text);
        _reasoningEmitted = true;
        output.Add(_chunks.Reasoning(value));
    }

    private void EmitText(string? text, List<byte[]> output)
    {
        if (!string.IsNullOrEmpty(text))
        {
            HasContent = true;
            output.Add(_chunks.Content(text));
        }
    }

    private void EmitArguments(int toolIndex, string fragment, List<byte[]> output) => output.Add(_chunks.ToolArguments(toolIndex, fragment));

    private void Update(JsonElement usage)
    {
        _usage = _usage.UpdateFromAnthropic(usage);
        _reasoningCounted |= HasReasoningCount(usage);
    }

    /// <summary>Whether an Anthropic usage object reports thinking tokens (then the chunk's usage reports them too).</summary>
    internal static bool HasReasoningCount(JsonElement usage) =>
        usage.ValueKind == JsonValueKind.Object && usage.TryGetProperty("output_tokens_details", out var details) &&
        details.ValueKind == JsonValueKind.Object && details.TryGetProperty("thinking_tokens", out var tokens) && tokens.ValueKind == JsonValueKind.Number;

    private static long BlockIndex(JsonElement data) =>
        data.TryGetProperty("index", out var index) && index.ValueKind == JsonValueKind.Number && index.TryGetInt64(out var value) ? value : -1;

    private sealed class BlockState
    {
        public BlockKind Kind { get; set; }

        public StringBuilder Thinking { get; } = new();

        public StringBuilder Signature { get; } = new();

        public int ToolIndex { get; set; }

        public string? StartInput { get; set; }

        public bool ArgumentsEmitted { get; set; }
    }
}
