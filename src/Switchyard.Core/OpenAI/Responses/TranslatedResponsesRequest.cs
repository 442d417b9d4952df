using Switchyard.Models;

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

    /// <summary>Thinking was asked for but turned off because a tool call is forced (DeepSeek rejects that combination).</summary>
    public bool ThinkingDisabledForToolChoice { get; init; }

    /// <summary>The tools sent upstream, by upstream function name, to map calls back to the client's tools.</summary>
    public IReadOnlyDictionary<string, ResponsesTool> Tools { get; init; } = new Dictionary<string, ResponsesTool>();

    /// <summary>How many assistant tool-call turns got their reasoning back from the reasoning memory.</summary>
    public int RestoredReasoning { get; init; }

    /// <summary>How a <c>json_schema</c> format is served (for <c>x-switchyard-structured-output</c>), or null.</summary>
    public string? StructuredOutput { get; init; }
}
