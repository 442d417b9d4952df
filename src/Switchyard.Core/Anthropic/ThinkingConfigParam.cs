using System.Text.Json.Serialization;

namespace Switchyard.Anthropic;

/// <summary><c>thinking:{type:"enabled", budget_tokens}</c>.</summary>
/// <param name="BudgetTokens">The thinking budget, at least 1,024 and below <c>max_tokens</c>.</param>
public sealed record ThinkingConfigParam([property: JsonPropertyName("budget_tokens")] int BudgetTokens)
{
    /// <summary><c>enabled</c>: Switchyard sends no <c>thinking</c> at all to have it off.</summary>
    [JsonPropertyName("type")]
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = "enabled";
}
