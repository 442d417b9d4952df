using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Switchyard.Accounting;
using Switchyard.Errors;
using Switchyard.Memory;
using Switchyard.OpenAI;

namespace Switchyard.Translation.ChatToMessages;

/// <summary>
/// Translates a non-streaming Anthropic Message into a Chat Completion in DeepSeek's shape, and remembers the
/// signatures of its thinking blocks so the next request of the conversation can replay them.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>id</c>: <c>chatcmpl-</c> followed by the message id without its <c>msg_</c> prefix.</item>
/// <item><c>model</c>: the upstream's <c>model</c>, so the client sees which model served.</item>
/// <item><c>message.content</c>: the text blocks concatenated; <see langword="null"/> when there is no text but there are
/// tool calls, otherwise <c>""</c>.</item>
/// <item><c>message.reasoning_content</c>: the non-empty thinking texts joined with a blank line; absent without thinking.
/// <c>redacted_thinking</c> blocks are not shown, but are remembered and replayed.</item>
/// <item><c>message.tool_calls</c>: <c>tool_use</c> blocks with their ids, <c>arguments</c> = the input serialized.
/// Server-tool blocks (<c>server_tool_use</c>, <c>*_tool_result</c>) have no Chat Completions form and are skipped.</item>
/// <item><c>finish_reason</c>: see <see cref="StopReasons.ToFinishReason"/>.</item>
/// <item><c>usage</c>: <c>prompt_tokens</c> = input + cache read + cache creation; <c>prompt_cache_hit_tokens</c> = cache read;
/// <c>prompt_cache_miss_tokens</c> = input + cache creation; <c>completion_tokens</c> = output;
/// <c>completion_tokens_details.reasoning_tokens</c> when the upstream reports <c>output_tokens_details.thinking_tokens</c>.</item>
/// </list>
/// </remarks>
public sealed class MessagesToChatResponseTranslator
{
    private static readonly JsonTypeInfo<ChatCompletion> Completion =
        new OpenAIJsonContext(ChatJson.SerializerOptions(JsonIgnoreCondition.WhenWritingNull)).ChatCompletion;

    private readonly IReasoningMemory _memory;
    private readonly TimeProvider _time;

    /// <summary>Creates a translator.</summary>
    /// <param name="memory">Where thinking signatures are remembered.</param>
    /// <param name="time">The clock for <c>created</c>; the system clock when <see langword="null"/>.</param>
    public MessagesToChatResponseTranslator(IReasoningMemory memory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(memory);
        _memory = memory;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The Chat Completions id for an Anthropic message id.</summary>
    public static string CompletionId(string? messageId) => string.IsNullOrEmpty(messageId)
        ? "chatcmpl-" + Guid.NewGuid().ToString("N")
        : "chatcmpl-" + (messageId.StartsWith("msg_", StringComparison.Ordinal) ? messageId[4..] : messageId);

    /// <summary>Translates <paramref name="message"/> (the upstream's response body) into Chat Completion JSON.</summary>
    /// <exception cref="GatewayException">500 <c>api_error</c> when the upstream's body is not a Message.</exception>
    public TranslatedCompletion Translate(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object
            || !message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
        {
            throw new GatewayException(GatewayErrorKind.Api, "The upstream returned a response that is not a Messages API message.");
        }

        var text = new StringBuilder();
        var reasoning = new ReasoningRecorder();
        var hasReasoning = false;
        var toolCalls = new List<JsonElement>();
        foreach (var block in content.EnumerateArray())
        {
            switch (ChatJson.GetString(block, "type"))
            {
                case "text":
                    text.Append(ChatJson.GetString(block, "text"));
                    break;
                case "thinking":
                    hasReasoning = true;
                    reasoning.AddThinking(ChatJson.GetString(block, "thinking") ?? string.Empty, ChatJson.GetString(block, "signature"));
                    break;
                case "redacted_thinking" when ChatJson.GetString(block, "data") is { } data:
                    reasoning.AddRedacted(data);
                    break;
                case "tool_use":
                    toolCalls.Add(block);
                    break;
            }
        }

        var ids = toolCalls.Select(c => ChatJson.GetString(c, "id") ?? string.Empty).ToList();
        reasoning.Remember(_memory, ids);

        var usage = default(TokenUsage);
        var reasoningCounted = false;
        if (message.TryGetProperty("usage", out var usageElement))
        {
            usage = usage.UpdateFromAnthropic(usageElement);
            reasoningCounted = MessagesToChatStreamTranslator.HasReasoningCount(usageElement);
        }

        var finishReason = StopReasons.ToFinishReason(ChatJson.GetString(message, "stop_reason"), toolCalls.Count > 0);
        var completion = new ChatCompletion
        {
            Id = CompletionId(ChatJson.GetString(message, "id")),
            Object = "chat.completion",
            Created = _time.GetUtcNow().ToUnixTimeSeconds(),
            Model = ChatJson.GetString(message, "model") ?? string.Empty,
            Choices =
            [
                new ChatChoice
                {
                    Message = new ChatResponseMessage
                    {
                        Role = "assistant",
                        Content = text.Length == 0 && toolCalls.Count > 0 ? null : text.ToString(),
                        ReasoningContent = hasReasoning ? reasoning.Reasoning : null,
                        ToolCalls = toolCalls.Count > 0 ? [.. toolCalls.Select((call, i) => ToolCall(ids[i], call))] : null,
                    },
                    FinishReason = finishReason,
                },
            ],
            Usage = usage.ToChat(reasoningCounted),
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(completion, Completion);
        return new TranslatedCompletion(body, usage, finishReason);
    }

    private static ChatToolCallDelta ToolCall(string id, JsonElement block) => new()
    {
        Id = id,
        Type = "function",
        Function = new ChatFunctionCall
        {
            Name = ChatJson.GetString(block, "name") ?? string.Empty,
            Arguments = block.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Object ? input.GetRawText() : "{}",
        },
    };
}
