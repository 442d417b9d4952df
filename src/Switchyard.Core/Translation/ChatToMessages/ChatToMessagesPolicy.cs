using Switchyard.Anthropic;

namespace Switchyard.Translation.ChatToMessages;

/// <summary>
/// The Chat → Messages lane's one decision on thinking, its budget, <c>max_tokens</c> and sampling, which depend on
/// each other and on the conversation.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Thinking: an explicit <c>thinking.type</c> wins; <c>reasoning_effort:"none"</c> is off; any other effort turns it on.
/// It is turned off for the request (<see cref="Fallback"/>) when <c>tool_choice</c> forces a tool (Anthropic rejects forced
/// tool use in thinking mode) or when the conversation ends inside a tool loop whose last tool-call turn has no signed
/// thinking block (Anthropic requires that turn to start with it).</item>
/// <item>Budget: <c>thinking.budget_tokens</c>, else the effort's (<see cref="ChatToMessagesOptions.EffortBudgets"/>; the
/// <see cref="ChatToMessagesOptions.DefaultEffort"/>'s without one), at least <see cref="MinBudget"/>. With a client
/// <c>max_tokens</c> M the budget is at most max(1024, M/2), so half of M stays for the answer; when the budget is still
/// not below M (M &lt; 2048, or no M and a small default), <c>max_tokens</c> becomes budget + M.</item>
/// <item>Effort: sent as <c>output_config.effort</c> in thinking mode (minimal → low, ultra → max).</item>
/// <item>Sampling: <c>temperature</c> is clamped from OpenAI's 0–2 to 0–1 and dropped in thinking mode; <c>top_p</c> is
/// dropped when <c>temperature</c> is also given (recent Claude models reject both) and raised to 0.95 in thinking mode.</item>
/// </list>
/// </remarks>
/// <param name="Thinking">Whether the upstream request has thinking on.</param>
/// <param name="Fallback">Why thinking the client asked for is off, if it is.</param>
/// <param name="Budget">The <c>thinking.budget_tokens</c>, when thinking is on.</param>
/// <param name="MaxTokens">The <c>max_tokens</c> to send.</param>
/// <param name="Effort">The <c>output_config.effort</c> to send.</param>
/// <param name="Temperature">The <c>temperature</c> to send, 0–1.</param>
/// <param name="TopP">The <c>top_p</c> to send.</param>
public sealed record ChatToMessagesPolicy(
    bool Thinking, ThinkingFallback Fallback, int? Budget, int MaxTokens, string? Effort, double? Temperature, double? TopP)
{
    /// <summary>Anthropic's smallest thinking budget.</summary>
    public const int MinBudget = 1024;

    /// <summary>Decides for <paramref name="request"/>.</summary>
    public static ChatToMessagesPolicy Decide(ChatToMessagesRequest request, ChatToMessagesOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var effort = request.ReasoningEffort;
        var wanted = request.ThinkingType ?? (effort is not null && effort != "none");
        var fallback = !wanted ? ThinkingFallback.None
            : request.ForcesToolUse ? ThinkingFallback.ForcedToolChoice
            : EndsInUnsignedToolLoop(request.Messages) ? ThinkingFallback.UnsignedToolLoop
            : ThinkingFallback.None;
        var thinking = wanted && fallback == ThinkingFallback.None;
        var maxTokens = request.MaxTokens ?? options.DefaultMaxTokens;
        if (!thinking)
        {
            var temperature = request.Temperature is { } t ? Math.Min(t, 1.0) : (double?)null;
            return new(false, fallback, null, maxTokens, null, temperature, temperature is null ? request.TopP : null);
        }

        var budgetEffort = effort is null or "none" ? options.DefaultEffort : effort;
        var budget = Math.Max(MinBudget, request.BudgetTokens ?? (options.EffortBudgets.TryGetValue(budgetEffort, out var b) ? b : 8192));
        if (request.MaxTokens is { } m)
        {
            budget = Math.Min(budget, Math.Max(MinBudget, m / 2));
        }

        if (budget >= maxTokens)
        {
            maxTokens = budget + maxTokens;
        }

        var anthropicEffort = effort switch
        {
            "minimal" => "low",
            "ultra" => "max",
            "low" or "medium" or "high" or "xhigh" or "max" => effort,
            _ => null,
        };
        return new(true, fallback, budget, maxTokens, anthropicEffort, null, request.TopP is < 0.95 ? 0.95 : request.TopP);
    }

    /// <summary>True when the last turn answers tool calls of an assistant turn that has no thinking block.</summary>
    private static bool EndsInUnsignedToolLoop(IReadOnlyList<MessageParam> turns)
    {
        var conversation = turns.Where(t => t.Role != "system").ToList();
        if (conversation.Count < 2 || conversation[^1].Role != "user" || !conversation[^1].Content.Any(b => b is ToolResultBlockParam))
        {
            return false;
        }

        var assistant = conversation[^2];
        return assistant.Role == "assistant"
            && assistant.Content.Any(b => b is ToolUseBlockParam)
            && !assistant.Content.Any(b => b is ThinkingBlockParam or RedactedThinkingBlockParam);
    }
}
