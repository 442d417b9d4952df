using System.Text.Json.Serialization;

namespace Switchyard.OpenAI.Responses;

/// <summary>A part of a message's content, of a reasoning item's summary or of its content.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(InputTextPart), "input_text")]
[JsonDerivedType(typeof(OutputTextPart), "output_text")]
[JsonDerivedType(typeof(RefusalPart), "refusal")]
[JsonDerivedType(typeof(SummaryTextPart), "summary_text")]
[JsonDerivedType(typeof(ReasoningTextPart), "reasoning_text")]
public abstract record ResponseContentPart;

/// <summary>Text the client wrote.</summary>
/// <param name="Text">The text.</param>
public sealed record InputTextPart([property: JsonPropertyName("text")] string Text) : ResponseContentPart;

/// <summary>Text the model wrote.</summary>
/// <param name="Text">The text.</param>
public sealed record OutputTextPart([property: JsonPropertyName("text")] string Text) : ResponseContentPart
{
    /// <summary>Always empty: DeepSeek cites nothing.</summary>
    [JsonPropertyName("annotations")] public IReadOnlyList<object> Annotations { get; init; } = [];

    /// <summary>Always empty: log probabilities are not requested upstream.</summary>
    [JsonPropertyName("logprobs")] public IReadOnlyList<object> Logprobs { get; init; } = [];
}

/// <summary>A refusal the model wrote (replayed as assistant text).</summary>
/// <param name="Refusal">The refusal text.</param>
public sealed record RefusalPart([property: JsonPropertyName("refusal")] string Refusal) : ResponseContentPart;

/// <summary>Reasoning shown as a summary (DeepSeek has no summarizer: it is the reasoning itself).</summary>
/// <param name="Text">The text.</param>
public sealed record SummaryTextPart([property: JsonPropertyName("text")] string Text) : ResponseContentPart;

/// <summary>Reasoning shown as raw reasoning content.</summary>
/// <param name="Text">The text.</param>
public sealed record ReasoningTextPart([property: JsonPropertyName("text")] string Text) : ResponseContentPart;
