using Switchyard.Errors;
using Switchyard.OpenAI;

namespace Switchyard.Translation.StructuredOutput;

/// <summary>
/// Reads the JSON out of an upstream answer to a structured-output plan, checks it against the schema, and repairs
/// it once: the conversation goes back with the invalid answer and what is wrong with it. A second failure is a clear
/// error, never an invalid object passed off as valid.
/// </summary>
public static class StructuredOutputChecker
{
    /// <summary>
    /// Checks <paramref name="first"/>; when it does not match, asks <paramref name="repair"/> once (with the invalid
    /// JSON and the problems) and checks that.
    /// </summary>
    public static async Task<StructuredAnswer> CheckAsync(
        StructuredOutputPlan plan, ChatCompletion first,
        Func<string, IReadOnlyList<string>, CancellationToken, Task<ChatCompletion>> repair, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(repair);
        var json = Extract(plan, first);
        var problems = SchemaValidator.Problems(plan.Schema.Schema, json);
        if (problems.Count == 0)
        {
            return new StructuredAnswer(Rewrite(first, json!, first.Usage), 1, []);
        }

        var second = await repair(json ?? string.Empty, problems, cancellationToken);
        var repaired = Extract(plan, second);
        var usage = Add(first.Usage, second.Usage);
        var left = SchemaValidator.Problems(plan.Schema.Schema, repaired);
        return new StructuredAnswer(Rewrite(second, repaired ?? string.Empty, usage), 2, left);
    }

    /// <summary>The messages that ask for a repair: the invalid answer, then what is wrong with it.</summary>
    public static IReadOnlyList<ChatMessage> RepairMessages(string invalid, IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(invalid);
        ArgumentNullException.ThrowIfNull(problems);
        return
        [
            new ChatMessage { Role = "assistant", Content = invalid.Length == 0 ? "(no answer)" : invalid },
            new ChatMessage
            {
                Role = "user",
                Content = "That JSON does not match the required JSON Schema:\n- " + string.Join("\n- ", problems) +
                          "\nAnswer again with the complete, corrected JSON object only.",
            },
        ];
    }

    /// <summary>The error for an answer that still does not match after the repair.</summary>
    public static GatewayException Failed(IReadOnlyList<string> problems) => new(GatewayErrorKind.Api,
        "The model's answer did not match the requested JSON Schema, also after one repair: " + string.Join("; ", problems))
    {
        ShouldRetry = true,
    };

    /// <summary>The JSON text of an answer: the forced function's arguments, or the message content (fences removed).</summary>
    public static string? Extract(StructuredOutputPlan plan, ChatCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(completion);
        var message = completion.Choices is { Count: > 0 } choices ? choices[0].Message : null;
        if (message is null)
        {
            return null;
        }

        var call = message.ToolCalls?.FirstOrDefault(c => c.Function?.Name == StructuredOutputPlan.ToolName) ?? (message.ToolCalls is { Count: > 0 } calls ? calls[0] : null);
        var text = plan.Mode != StructuredOutputMode.JsonMode && call?.Function?.Arguments is { } arguments ? arguments : message.Content;
        return text is null ? null : Unfence(text.Trim());
    }

    private static string Unfence(string text)
    {
        if (!text.StartsWith("```", StringComparison.Ordinal))
        {
            return text;
        }

        var start = text.IndexOf('\n', StringComparison.Ordinal);
        var end = text.LastIndexOf("```", StringComparison.Ordinal);
        return start > 0 && end > start ? text[(start + 1)..end].Trim() : text;
    }

    private static ChatCompletion Rewrite(ChatCompletion completion, string json, ChatUsage? usage)
    {
        var choice = completion.Choices![0];
        return completion with
        {
            Usage = usage,
            Choices =
            [
                choice with
                {
                    FinishReason = choice.FinishReason is "length" ? "length" : "stop",
                    Message = choice.Message! with { Content = json, ToolCalls = null },
                },
            ],
        };
    }

    private static ChatUsage? Add(ChatUsage? a, ChatUsage? b)
    {
        if (a is null || b is null)
        {
            return a ?? b;
        }

        var reasoning = (a.CompletionTokensDetails?.ReasoningTokens ?? 0) + (b.CompletionTokensDetails?.ReasoningTokens ?? 0);
        return new ChatUsage
        {
            PromptTokens = a.PromptTokens + b.PromptTokens,
            CompletionTokens = a.CompletionTokens + b.CompletionTokens,
            TotalTokens = a.TotalTokens + b.TotalTokens,
            PromptCacheHitTokens = a.CacheHitTokens + b.CacheHitTokens,
            PromptCacheMissTokens = a.CacheMissTokens + b.CacheMissTokens,
            PromptTokensDetails = new ChatPromptTokensDetails { CachedTokens = a.CacheHitTokens + b.CacheHitTokens },
            CompletionTokensDetails = new ChatCompletionTokensDetails { ReasoningTokens = reasoning },
        };
    }
}
