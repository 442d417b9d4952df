using Switchyard.Models;
using Switchyard.Translation;
using Switchyard.Translation.StructuredOutput;

namespace Switchyard.OpenAI.Responses;

/// <summary>A Responses request translated for one Chat Completions target, and what the answer's translation needs.</summary>
public sealed record TranslatedResponsesRequest
{
    /// <summary>The request to send upstream.</summary>
    public required ChatCompletionRequest Chat { get; init; }

    /// <summary>How the model name was resolved for this target.</summary>
    public required ModelResolution Model { get; init; }

    /// <summary>The client's request.</summary>
    public required ResponsesRequest Request { get; init; }

    /// <summary>Whether thinking is on upstream.</summary>
    public bool Thinking { get; init; }

    /// <summary>Why thinking that was asked for is off: a forced tool call or structured output (DeepSeek rejects forced calls in thinking mode).</summary>
    public ThinkingFallback ThinkingFallback { get; init; }

    /// <summary>The tools sent upstream, by upstream function name, to map calls back to the client's tools.</summary>
    public IReadOnlyDictionary<string, ResponsesTool> Tools { get; init; } = new Dictionary<string, ResponsesTool>();

    /// <summary>How many assistant tool-call turns got their reasoning back from the reasoning memory.</summary>
    public int RestoredReasoning { get; init; }

    /// <summary>How a <c>json_schema</c> format is asked of a DeepSeek-format upstream (its answer is checked against the schema), or null.</summary>
    public StructuredOutputPlan? StructuredOutput { get; init; }
}
