using Switchyard.Errors;

namespace Switchyard.Translation;

/// <summary>The one mapping between Chat Completions <c>finish_reason</c>s and Messages API <c>stop_reason</c>s, both ways.</summary>
public static class StopReasons
{
    /// <summary>The stop reason for a finish reason. Interrupted generations are errors, not normal ends.</summary>
    /// <exception cref="GatewayException">For <c>insufficient_system_resource</c> (529) and <c>aborted</c> (500).</exception>
    public static string FromFinishReason(string? finishReason, bool hasToolCalls) => finishReason switch
    {
        "length" => "max_tokens",
        "content_filter" => "refusal",
        "insufficient_system_resource" => throw new GatewayException(GatewayErrorKind.Overloaded,
            "The upstream ran out of resources and interrupted the generation (finish_reason 'insufficient_system_resource'); retry the request."),
        "aborted" => throw new GatewayException(GatewayErrorKind.Api,
            "The upstream aborted the generation (finish_reason 'aborted'); retry the request."),
        _ when hasToolCalls => "tool_use",
        "tool_calls" => "tool_use",
        _ => "end_turn",
    };

    /// <summary>
    /// The finish reason for a stop reason: <c>end_turn</c>, <c>stop_sequence</c> and <c>pause_turn</c> → <c>stop</c>;
    /// <c>max_tokens</c> and <c>model_context_window_exceeded</c> → <c>length</c>; <c>tool_use</c> → <c>tool_calls</c>;
    /// <c>refusal</c> → <c>content_filter</c>. An unknown or missing reason is <c>tool_calls</c> when the message has
    /// tool calls, otherwise <c>stop</c>.
    /// </summary>
    public static string ToFinishReason(string? stopReason, bool hasToolCalls) => stopReason switch
    {
        "end_turn" or "stop_sequence" or "pause_turn" => "stop",
        "max_tokens" or "model_context_window_exceeded" => "length",
        "tool_use" => "tool_calls",
        "refusal" => "content_filter",
        _ when hasToolCalls => "tool_calls",
        _ => "stop",
    };
}
