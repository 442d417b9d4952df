using System.Text.Json.Serialization;

namespace Switchyard.Anthropic;

/// <summary>A delta inside <c>content_block_delta</c>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TextDelta), "text_delta")]
[JsonDerivedType(typeof(ThinkingDelta), "thinking_delta")]
[JsonDerivedType(typeof(SignatureDelta), "signature_delta")]
[JsonDerivedType(typeof(InputJsonDelta), "input_json_delta")]
public abstract record BlockDelta;

/// <summary><c>text_delta</c>.</summary>
/// <param name="Text">Text to append.</param>
public sealed record TextDelta([property: JsonPropertyName("text")] string Text) : BlockDelta;

/// <summary><c>thinking_delta</c>.</summary>
/// <param name="Thinking">Reasoning to append.</param>
public sealed record ThinkingDelta([property: JsonPropertyName("thinking")] string Thinking) : BlockDelta;

/// <summary><c>signature_delta</c>, sent once right before the thinking block stops.</summary>
/// <param name="Signature">The whole signature.</param>
public sealed record SignatureDelta([property: JsonPropertyName("signature")] string Signature) : BlockDelta;

/// <summary><c>input_json_delta</c>.</summary>
/// <param name="PartialJson">A fragment of the tool input's JSON.</param>
public sealed record InputJsonDelta([property: JsonPropertyName("partial_json")] string PartialJson) : BlockDelta;
