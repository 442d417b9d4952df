namespace Switchyard.Anthropic;

/// <summary>How the client asked for thinking.</summary>
public enum ThinkingMode
{
    /// <summary><c>{type:"enabled", budget_tokens}</c>.</summary>
    Enabled,
    /// <summary><c>{type:"adaptive"}</c>.</summary>
    Adaptive,
    /// <summary><c>{type:"disabled"}</c>.</summary>
    Disabled,
}

/// <summary><c>thinking</c>; <see cref="DisplayOmitted"/> is <c>display:"omitted"</c>.</summary>
public sealed record ThinkingConfig(ThinkingMode Mode, int? BudgetTokens, bool DisplayOmitted);
