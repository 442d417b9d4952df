using System.Text;
using Switchyard.Accounting;
using Switchyard.Errors;
using Switchyard.Translation;

namespace Switchyard.OpenAI.Responses;

/// <summary>
/// The pure state machine that turns Chat Completions stream chunks into Responses API stream events, in the order
/// the official SDKs and Codex parse them: <c>response.created</c>, <c>response.in_progress</c>, then one output item
/// at a time (<c>output_item.added</c>, its part and delta events, <c>output_item.done</c>) — reasoning, message text,
/// function calls — and finally <c>response.completed</c>, <c>response.incomplete</c> or <c>error</c> +
/// <c>response.failed</c>. Every event carries the next <c>sequence_number</c>. Tool calls whose fragments arrive
/// while another call is open are held back and emitted whole after it, so items never interleave. A non-streaming
/// answer goes through the same machine as one chunk (<see cref="ChunkOf"/>).
/// </summary>
/// <remarks>Not thread-safe: one instance per response. Events are appended to the list passed to each call.</remarks>
public sealed class ResponsesStreamTranslator
{
    private readonly TranslatedResponsesRequest _request;
    private readonly ReasoningSeal _seal;
    private readonly ResponseObject _template;
    private readonly List<ResponseItem> _output = [];
    private readonly StringBuilder _reasoning = new();
    private readonly StringBuilder _text = new();
    private readonly List<ToolState> _tools = [];
    private readonly List<string> _toolCallIds = [];
    private OpenKind _open;
    private string _openId = string.Empty;
    private ToolState? _openTool;
    private ChatUsage? _upstreamUsage;
    private int _sequence;
    private bool _started;
    private bool _ended;

    /// <summary>Creates the machine for one response.</summary>
    /// <param name="request">The translated request (tools, thinking, echoed fields).</param>
    /// <param name="seal">Seals reasoning when the client asked for <c>reasoning.encrypted_content</c>.</param>
    /// <param name="responseId">The <c>resp_…</c> id.</param>
    /// <param name="createdAt">Unix seconds.</param>
    public ResponsesStreamTranslator(TranslatedResponsesRequest request, ReasoningSeal seal, string responseId, long createdAt)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(seal);
        ArgumentNullException.ThrowIfNull(responseId);
        _request = request;
        _seal = seal;
        _template = ResponseEcho.Of(request, responseId, createdAt);
    }

    private enum OpenKind
    {
        None,
        Reasoning,
        Message,
        Tool,
    }

    /// <summary>The upstream's finish reason, once sent.</summary>
    public string? FinishReason { get; private set; }

    /// <summary>The usage the client is told, once the upstream sent it.</summary>
    public TokenUsage? Usage => _upstreamUsage is { } usage ? TokenUsage.FromChat(usage) : null;

    /// <summary>The call ids of this turn's tool calls (the reasoning memory's key).</summary>
    public IReadOnlyList<string> ToolCallIds => _toolCallIds;

    /// <summary>The reasoning text the upstream sent.</summary>
    public string Reasoning => _reasoning.ToString();

    /// <summary>The response as the last lifecycle event showed it (completed, incomplete or failed).</summary>
    public ResponseObject? Final { get; private set; }

    /// <summary>A non-streaming completion as the one chunk that says all of it.</summary>
    public static ChatCompletionChunk ChunkOf(ChatCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var choice = completion.Choices is { Count: > 0 } choices ? choices[0] : null;
        var message = choice?.Message ?? throw new GatewayException(GatewayErrorKind.Api, "The upstream returned a response without choices.");
        return new ChatCompletionChunk
        {
            Id = completion.Id,
            Model = completion.Model,
            Usage = completion.Usage,
            Choices =
            [
                new ChatChunkChoice
                {
                    FinishReason = choice.FinishReason,
                    Delta = message with { ToolCalls = message.ToolCalls?.Select((call, i) => call with { Index = i }).ToList() },
                },
            ],
        };
    }

    /// <summary>Emits <c>response.created</c> and <c>response.in_progress</c>; once, when the upstream accepted the request.</summary>
    public void Start(List<ResponseStreamEvent> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_started)
        {
            return;
        }

        _started = true;
        Emit(output, new ResponseStreamEvent { Type = "response.created", Response = _template });
        Emit(output, new ResponseStreamEvent { Type = "response.in_progress", Response = _template });
    }

    /// <summary>Translates one upstream chunk.</summary>
    public void Process(ChatCompletionChunk chunk, List<ResponseStreamEvent> output)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        ArgumentNullException.ThrowIfNull(output);
        Start(output);
        _upstreamUsage = chunk.Usage ?? _upstreamUsage;
        foreach (var choice in chunk.Choices ?? [])
        {
            if (choice.Index != 0)
            {
                continue;
            }

            if (choice.Delta is { } delta)
            {
                // Reasoning the request did not ask for (thinking off) is not shown.
                if (!string.IsNullOrEmpty(delta.ReasoningContent) && _request.Thinking)
                {
                    OnReasoning(delta.ReasoningContent, output);
                }

                if (!string.IsNullOrEmpty(delta.Content))
                {
                    OnText(delta.Content, output);
                }

                foreach (var call in delta.ToolCalls ?? [])
                {
                    OnToolCall(call, output);
                }
            }

            FinishReason = choice.FinishReason ?? FinishReason;
        }
    }

    /// <summary>
    /// Ends the response after the upstream's last chunk: closes the open item, emits held-back calls, then
    /// <c>response.completed</c> (or <c>response.incomplete</c> for <c>length</c> and <c>content_filter</c>).
    /// </summary>
    /// <exception cref="GatewayException">The upstream ended without finishing, or interrupted the generation.</exception>
    public void Complete(List<ResponseStreamEvent> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_ended)
        {
            return;
        }

        Start(output);
        var incomplete = IncompleteReason(FinishReason);
        Close(output);
        foreach (var tool in _tools.Where(t => !t.Emitted))
        {
            OpenTool(tool, output);
            Close(output);
        }

        _ended = true;
        Final = _template with
        {
            Status = incomplete is null ? "completed" : "incomplete",
            IncompleteDetails = incomplete is null ? null : new IncompleteDetails(incomplete),
            Output = [.. _output],
            Usage = Usage is { } usage ? ResponseUsage.From(usage) : new ResponseUsage(),
        };
        Emit(output, new ResponseStreamEvent { Type = incomplete is null ? "response.completed" : "response.incomplete", Response = Final });
    }

    /// <summary>
    /// Ends the response with a failure after it started: an <c>error</c> event (which the SDKs raise) and
    /// <c>response.failed</c> (which Codex reads), listing the items finished so far.
    /// </summary>
    public void Fail(GatewayException error, List<ResponseStreamEvent> output)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(output);
        if (_ended)
        {
            return;
        }

        Start(output);
        _ended = true;
        var code = error.Kind == GatewayErrorKind.RateLimit ? "rate_limit_exceeded" : "server_error";
        Final = _template with
        {
            Status = "failed",
            Error = new ResponseError(code, error.Message),
            Output = [.. _output],
            Usage = Usage is { } usage ? ResponseUsage.From(usage) : null,
        };
        Emit(output, new ResponseStreamEvent { Type = "error", Code = code, Message = error.Message });
        Emit(output, new ResponseStreamEvent { Type = "response.failed", Response = Final });
    }

    /// <summary>Why the response is incomplete (null: it is complete).</summary>
    /// <exception cref="GatewayException">No finish reason, or an interrupted generation (not an end).</exception>
    private static string? IncompleteReason(string? finishReason)
    {
        if (finishReason is null)
        {
            throw new GatewayException(GatewayErrorKind.Api, "The upstream stream ended before the response was complete.");
        }

        // Throws for insufficient_system_resource (overloaded) and aborted, with the Messages lane's wording.
        return StopReasons.FromFinishReason(finishReason, hasToolCalls: false) switch
        {
            "max_tokens" => "max_output_tokens",
            "refusal" => "content_filter",
            _ => null,
        };
    }

    private void OnReasoning(string fragment, List<ResponseStreamEvent> output)
    {
        if (_open != OpenKind.Reasoning)
        {
            Close(output);
            Open(OpenKind.Reasoning, "rs_", new ReasoningItem { Content = Summary ? null : [] }, output);
            Emit(output, Summary
                ? new ResponseStreamEvent { Type = "response.reasoning_summary_part.added", ItemId = _openId, OutputIndex = _output.Count, SummaryIndex = 0, Part = new SummaryTextPart(string.Empty) }
                : new ResponseStreamEvent { Type = "response.content_part.added", ItemId = _openId, OutputIndex = _output.Count, ContentIndex = 0, Part = new ReasoningTextPart(string.Empty) });
        }

        _text.Append(fragment);
        _reasoning.Append(fragment);
        Emit(output, Summary
            ? new ResponseStreamEvent { Type = "response.reasoning_summary_text.delta", ItemId = _openId, OutputIndex = _output.Count, SummaryIndex = 0, Delta = fragment }
            : new ResponseStreamEvent { Type = "response.reasoning_text.delta", ItemId = _openId, OutputIndex = _output.Count, ContentIndex = 0, Delta = fragment });
    }

    private void OnText(string fragment, List<ResponseStreamEvent> output)
    {
        if (_open != OpenKind.Message)
        {
            Close(output);
            Open(OpenKind.Message, "msg_", new MessageItem { Role = "assistant", Content = [], Status = "in_progress" }, output);
            Emit(output, new ResponseStreamEvent { Type = "response.content_part.added", ItemId = _openId, OutputIndex = _output.Count, ContentIndex = 0, Part = new OutputTextPart(string.Empty) });
        }

        _text.Append(fragment);
        Emit(output, new ResponseStreamEvent { Type = "response.output_text.delta", ItemId = _openId, OutputIndex = _output.Count, ContentIndex = 0, Delta = fragment, Logprobs = [] });
    }

    private void OnToolCall(ChatToolCallDelta call, List<ResponseStreamEvent> output)
    {
        var key = call.Index ?? (call.Id is null ? Math.Max(0, _tools.Count - 1) : _tools.Count);
        var tool = _tools.Find(t => t.Key == key);
        if (tool is null)
        {
            tool = new ToolState(key, call.Id ?? ResponsesIds.New("call_"), call.Function?.Name ?? string.Empty);
            _tools.Add(tool);
            _toolCallIds.Add(tool.CallId);
        }
        else if (tool.UpstreamName.Length == 0 && !string.IsNullOrEmpty(call.Function?.Name))
        {
            tool.UpstreamName = call.Function.Name;
        }

        if (call.Function?.Arguments is { Length: > 0 } fragment)
        {
            tool.Arguments.Append(fragment);
            tool.Json.Append(fragment);
            if (ReferenceEquals(tool, _openTool) && !tool.IsCustom)
            {
                Emit(output, new ResponseStreamEvent { Type = "response.function_call_arguments.delta", ItemId = _openId, OutputIndex = _output.Count, Delta = fragment });
            }
        }

        // Exactly one call is live; the next one opens once the live one's JSON is complete.
        while (_tools.Find(t => !t.Emitted) is { } next && (_openTool is null || _openTool.Json.IsComplete))
        {
            OpenTool(next, output);
        }
    }

    private void OpenTool(ToolState tool, List<ResponseStreamEvent> output)
    {
        Close(output);
        tool.Emitted = true;
        tool.Client = _request.Tools.GetValueOrDefault(tool.UpstreamName);
        _openTool = tool;
        var name = tool.Client?.Name ?? tool.UpstreamName;
        var @namespace = tool.Client?.Namespace;
        if (tool.IsCustom)
        {
            Open(OpenKind.Tool, "ctc_", new CustomToolCallItem { CallId = tool.CallId, Name = name, Namespace = @namespace, Input = string.Empty, Status = "in_progress" }, output);
            return;
        }

        Open(OpenKind.Tool, "fc_", new FunctionCallItem { CallId = tool.CallId, Name = name, Namespace = @namespace, Arguments = string.Empty, Status = "in_progress" }, output);
        if (tool.Arguments.Length > 0)
        {
            Emit(output, new ResponseStreamEvent { Type = "response.function_call_arguments.delta", ItemId = _openId, OutputIndex = _output.Count, Delta = tool.Arguments.ToString() });
        }
    }

    private bool Summary => _request.Request.ReasoningSummary is not null;

    private void Open(OpenKind kind, string prefix, ResponseItem item, List<ResponseStreamEvent> output)
    {
        _open = kind;
        _openId = ResponsesIds.New(prefix);
        _text.Clear();
        Emit(output, new ResponseStreamEvent { Type = "response.output_item.added", OutputIndex = _output.Count, Item = item with { Id = _openId } });
    }

    /// <summary>Emits the done events of the open item and adds it to the output.</summary>
    private void Close(List<ResponseStreamEvent> output)
    {
        var index = _output.Count;
        var text = _text.ToString();
        ResponseItem item;
        switch (_open)
        {
            case OpenKind.None:
                return;
            case OpenKind.Reasoning:
                ResponseContentPart part = Summary ? new SummaryTextPart(text) : new ReasoningTextPart(text);
                Emit(output, Summary
                    ? new ResponseStreamEvent { Type = "response.reasoning_summary_text.done", ItemId = _openId, OutputIndex = index, SummaryIndex = 0, Text = text }
                    : new ResponseStreamEvent { Type = "response.reasoning_text.done", ItemId = _openId, OutputIndex = index, ContentIndex = 0, Text = text });
                Emit(output, Summary
                    ? new ResponseStreamEvent { Type = "response.reasoning_summary_part.done", ItemId = _openId, OutputIndex = index, SummaryIndex = 0, Part = part }
                    : new ResponseStreamEvent { Type = "response.content_part.done", ItemId = _openId, OutputIndex = index, ContentIndex = 0, Part = part });
                item = new ReasoningItem
                {
                    Summary = Summary ? [part] : [],
                    Content = Summary ? null : [part],
                    EncryptedContent = _request.Request.IncludeEncryptedReasoning ? _seal.Seal(text) : null,
                };
                break;
            case OpenKind.Message:
                var textPart = new OutputTextPart(text);
                Emit(output, new ResponseStreamEvent { Type = "response.output_text.done", ItemId = _openId, OutputIndex = index, ContentIndex = 0, Text = text, Logprobs = [] });
                Emit(output, new ResponseStreamEvent { Type = "response.content_part.done", ItemId = _openId, OutputIndex = index, ContentIndex = 0, Part = textPart });
                item = new MessageItem { Role = "assistant", Content = [textPart], Status = "completed" };
                break;
            default:
                item = CloseTool(_openTool!, index, output);
                _openTool = null;
                break;
        }

        item = item with { Id = _openId };
        _output.Add(item);
        _open = OpenKind.None;
        Emit(output, new ResponseStreamEvent { Type = "response.output_item.done", OutputIndex = index, Item = item });
    }

    private ResponseItem CloseTool(ToolState tool, int index, List<ResponseStreamEvent> output)
    {
        var name = tool.Client?.Name ?? tool.UpstreamName;
        var arguments = tool.Arguments.ToString();
        if (tool.IsCustom)
        {
            var input = CustomToolInput.Input(arguments);
            Emit(output, new ResponseStreamEvent { Type = "response.custom_tool_call_input.delta", ItemId = _openId, OutputIndex = index, Delta = input });
            Emit(output, new ResponseStreamEvent { Type = "response.custom_tool_call_input.done", ItemId = _openId, OutputIndex = index, Input = input });
            return new CustomToolCallItem { CallId = tool.CallId, Name = name, Namespace = tool.Client?.Namespace, Input = input, Status = "completed" };
        }

        // A call cut short (max_output_tokens) still has to be one valid JSON object.
        if (arguments.Length > 0 && !tool.Json.IsComplete && ToolArguments.Repair(arguments) is var repaired &&
            repaired.Length > arguments.Length && repaired.StartsWith(arguments, StringComparison.Ordinal))
        {
            Emit(output, new ResponseStreamEvent { Type = "response.function_call_arguments.delta", ItemId = _openId, OutputIndex = index, Delta = repaired[arguments.Length..] });
            arguments = repaired;
        }

        Emit(output, new ResponseStreamEvent { Type = "response.function_call_arguments.done", ItemId = _openId, OutputIndex = index, Arguments = arguments, Name = name });
        return new FunctionCallItem { CallId = tool.CallId, Name = name, Namespace = tool.Client?.Namespace, Arguments = arguments, Status = "completed" };
    }

    private void Emit(List<ResponseStreamEvent> output, ResponseStreamEvent streamEvent) =>
        output.Add(streamEvent with { SequenceNumber = _sequence++ });

    private sealed class ToolState(int key, string callId, string upstreamName)
    {
        public int Key { get; } = key;

        public string CallId { get; } = callId;

        public string UpstreamName { get; set; } = upstreamName;

        public ResponsesTool? Client { get; set; }

        public bool IsCustom => Client?.Kind == ResponsesToolKind.Custom;

        public StringBuilder Arguments { get; } = new();

        public JsonCompletion Json { get; } = new();

        public bool Emitted { get; set; }
    }
}
