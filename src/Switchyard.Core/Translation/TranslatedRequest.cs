using Switchyard.Models;
using Switchyard.OpenAI;

namespace Switchyard.Translation;

/// <summary>A Messages request translated for a Chat Completions upstream, with what the response side needs.</summary>
public sealed record TranslatedRequest
{
    /// <summary>The upstream request body (its <c>stream</c> flag is set by the caller).</summary>
    public required ChatCompletionRequest Chat { get; init; }

    /// <summary>How the model name was resolved.</summary>
    public required ModelResolution Model { get; init; }

    /// <summary>Whether thinking is on upstream.</summary>
    public bool Thinking { get; init; }

    /// <summary>True when the client wanted thinking but a forced <c>tool_choice</c> turned it off.</summary>
    public bool ThinkingDisabledForToolChoice { get; init; }

    /// <summary>True when the client wanted thinking but structured output (a forced function call) turned it off.</summary>
    public bool ThinkingDisabledForStructuredOutput { get; init; }

    /// <summary>How a requested JSON schema is asked of the upstream, if the client asked for one.</summary>
    public StructuredOutput.StructuredOutputPlan? StructuredOutput { get; init; }

    /// <summary>Whether thinking blocks are returned with empty text (<c>display:"omitted"</c>).</summary>
    public bool DisplayOmitted { get; init; }

    /// <summary>The last message is an assistant prefill, continued with DeepSeek's chat prefix completion (beta).</summary>
    public bool Prefill { get; init; }

    /// <summary>The client asked for <c>max_tokens:0</c>: warm the upstream cache, return no content.</summary>
    public bool WarmOnly { get; init; }

    /// <summary>Assistant tool-call turns whose missing reasoning came from the reasoning memory.</summary>
    public int RestoredReasoning { get; init; }

    /// <summary>Stop sequences that Switchyard matches itself.</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];
}
