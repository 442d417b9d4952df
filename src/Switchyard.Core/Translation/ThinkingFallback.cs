namespace Switchyard.Translation;

/// <summary>Why thinking that the client asked for was turned off for one request.</summary>
public enum ThinkingFallback
{
    /// <summary>Thinking is as the client asked.</summary>
    None,

    /// <summary>
    /// <c>tool_choice</c> was <c>required</c> or a named function: Anthropic rejects forced tool use in thinking mode,
    /// and the forced call is what the caller needs.
    /// </summary>
    ForcedToolChoice,

    /// <summary>
    /// The conversation is inside a tool loop whose last assistant tool-call turn has no signed thinking block (the
    /// client dropped <c>reasoning_content</c> and the reasoning memory does not know it). Anthropic answers 400 to
    /// such a request in thinking mode, so it is sent with thinking off.
    /// </summary>
    UnsignedToolLoop,

    /// <summary>
    /// The client asked for structured output, which DeepSeek serves as a forced function call: forced tool choice is
    /// rejected in thinking mode.
    /// </summary>
    StructuredOutput,
}
