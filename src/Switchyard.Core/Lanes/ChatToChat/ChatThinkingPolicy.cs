using Switchyard.Models;
using Switchyard.Translation;
using Switchyard.Translation.StructuredOutput;

namespace Switchyard.Lanes.ChatToChat;

/// <summary>
/// The relay lane's one thinking decision. DeepSeek V4 thinks unless told otherwise; legacy model names carry their
/// mode; an explicit <c>thinking</c> or <c>reasoning_effort:"none"</c> wins. DeepSeek answers 400 to a forced
/// <c>tool_choice</c> in thinking mode, so when the client did not ask for thinking itself, a forced tool call is
/// sent with thinking off (and the response says so); when it did, its request goes as sent and DeepSeek's 400 is
/// explained.
/// </summary>
/// <param name="Thinking">Whether the upstream will think.</param>
/// <param name="Send">The <c>thinking.type</c> to send, or null to send none (the upstream's default).</param>
/// <param name="Fallback">Thinking turned off for the client, and why.</param>
/// <param name="Explicit">Whether the client itself asked for thinking (then a forced tool choice is its own conflict).</param>
public sealed record ChatThinkingPolicy(bool Thinking, string? Send, ThinkingFallback Fallback, bool Explicit)
{
    /// <summary>Decides for <paramref name="request"/> served as <paramref name="model"/>.</summary>
    public static ChatThinkingPolicy Decide(ChatRequest request, ModelResolution model, StructuredOutputPlan? structured = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(model);
        bool? asked = request.ThinkingType switch
        {
            "enabled" or "adaptive" => true,
            "disabled" => false,
            _ => request.ReasoningEffort is { } effort ? effort != "none" : null,
        };
        var thinking = asked ?? model.DefaultThinking ?? true;
        if (thinking && structured is { DisablesThinking: true })
        {
            // The schema is served as a forced function call, which DeepSeek rejects in thinking mode.
            return new(false, "disabled", ThinkingFallback.StructuredOutput, Explicit: false);
        }

        if (thinking && request.ForcedToolChoice && asked != true)
        {
            return new(false, "disabled", ThinkingFallback.ForcedToolChoice, Explicit: false);
        }

        var send = request.ThinkingType switch
        {
            "adaptive" => "enabled",
            { } type => type,
            null when asked is null && model.DefaultThinking is { } legacy => legacy ? "enabled" : "disabled",
            _ => null,
        };
        return new(thinking, send, ThinkingFallback.None, asked == true);
    }
}
