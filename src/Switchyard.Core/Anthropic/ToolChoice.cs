namespace Switchyard.Anthropic;

/// <summary>How the model may use tools.</summary>
public enum ToolChoiceKind
{
    /// <summary>The model decides.</summary>
    Auto,
    /// <summary>The model must call some tool.</summary>
    Any,
    /// <summary>The model must call the named tool.</summary>
    Tool,
    /// <summary>The model must not call tools.</summary>
    None,
}

/// <summary><c>tool_choice</c>.</summary>
public sealed record ToolChoice(ToolChoiceKind Kind, string? Name, bool DisableParallelToolUse);
