using System.Text.Json;
using Switchyard.Anthropic;
using Switchyard.Compatibility;

namespace Switchyard.Translation.ChatToMessages;

/// <summary>
/// A Chat Completions request as <see cref="ChatToMessagesReader"/> reads it for an Anthropic-format upstream: valid,
/// checked against <see cref="CompatibilityTables.ChatToMessages"/>, its conversation already in Anthropic turns.
/// The decisions that depend on several fields (thinking, budgets, sampling) are <see cref="ChatToMessagesPolicy"/>'s.
/// </summary>
/// <remarks>The <see cref="JsonElement"/>s (tool inputs and schemas) point into the request document.</remarks>
public sealed record ChatToMessagesRequest
{
    /// <summary>The <c>model</c> the client asked for.</summary>
    public required string Model { get; init; }

    /// <summary>Texts of the leading <c>system</c>/<c>developer</c> messages, in order.</summary>
    public IReadOnlyList<string> System { get; init; } = [];

    /// <summary>The conversation: same-role turns merged, empty ones dropped, tool results first in their user turn.</summary>
    public required IReadOnlyList<MessageParam> Messages { get; init; }

    /// <summary><c>stream</c>.</summary>
    public bool Stream { get; init; }

    /// <summary><c>stream_options.include_usage</c>.</summary>
    public bool IncludeUsage { get; init; }

    /// <summary><c>max_completion_tokens</c>, else <c>max_tokens</c>; at least 1.</summary>
    public int? MaxTokens { get; init; }

    /// <summary><c>temperature</c>, 0–2 as OpenAI allows.</summary>
    public double? Temperature { get; init; }

    /// <summary><c>top_p</c>, 0–1.</summary>
    public double? TopP { get; init; }

    /// <summary><c>stop</c> as a list, empty strings left out.</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary><c>user_id</c>, else <c>user</c>.</summary>
    public string? UserId { get; init; }

    /// <summary><c>thinking.type</c>: true for <c>enabled</c>/<c>adaptive</c>, false for <c>disabled</c>, null when absent.</summary>
    public bool? ThinkingType { get; init; }

    /// <summary><c>thinking.budget_tokens</c>.</summary>
    public int? BudgetTokens { get; init; }

    /// <summary><c>reasoning_effort</c> in lower case: <c>none</c> or a key of <see cref="ChatToMessagesOptions.EffortBudgets"/>.</summary>
    public string? ReasoningEffort { get; init; }

    /// <summary><c>response_format:{type:"json_object"}</c>.</summary>
    public bool JsonObject { get; init; }

    /// <summary>The schema of <c>response_format:{type:"json_schema"}</c>.</summary>
    public JsonElement? JsonSchema { get; init; }

    /// <summary>The function tools as Anthropic tools.</summary>
    public IReadOnlyList<ToolParam> Tools { get; init; } = [];

    /// <summary><c>tool_choice</c> as Anthropic's type (<c>none</c>, <c>auto</c>, <c>any</c>, <c>tool</c>); null when absent or without tools.</summary>
    public string? ToolChoice { get; init; }

    /// <summary>The function a named <c>tool_choice</c> forces.</summary>
    public string? ToolChoiceName { get; init; }

    /// <summary><c>parallel_tool_calls</c>.</summary>
    public bool? ParallelToolCalls { get; init; }

    /// <summary>Top-level fields the table ignores, which were present (and are not sent).</summary>
    public IReadOnlyList<string> Dropped { get; init; } = [];

    /// <summary>Whether <c>tool_choice</c> forces a tool call (<c>required</c> or a named function).</summary>
    public bool ForcesToolUse => ToolChoice is "any" or "tool";
}
