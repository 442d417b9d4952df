using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchyard.Anthropic;

/// <summary>A request content block; written with its <c>type</c> first when declared as this base type.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TextBlockParam), "text")]
[JsonDerivedType(typeof(ImageBlockParam), "image")]
[JsonDerivedType(typeof(ThinkingBlockParam), "thinking")]
[JsonDerivedType(typeof(RedactedThinkingBlockParam), "redacted_thinking")]
[JsonDerivedType(typeof(ToolUseBlockParam), "tool_use")]
[JsonDerivedType(typeof(ToolResultBlockParam), "tool_result")]
public abstract record ContentBlockParam;

/// <summary>A <c>text</c> block.</summary>
/// <param name="Text">The text.</param>
public sealed record TextBlockParam([property: JsonPropertyName("text")] string Text) : ContentBlockParam;

/// <summary>An <c>image</c> block.</summary>
/// <param name="Source">Where the image is.</param>
public sealed record ImageBlockParam([property: JsonPropertyName("source")] ImageSourceParam Source) : ContentBlockParam;

/// <summary>A <c>thinking</c> block sent back with its signature.</summary>
/// <param name="Thinking">The reasoning text.</param>
/// <param name="Signature">The upstream's signature of it.</param>
public sealed record ThinkingBlockParam(
    [property: JsonPropertyName("thinking")] string Thinking,
    [property: JsonPropertyName("signature")] string Signature) : ContentBlockParam;

/// <summary>A <c>redacted_thinking</c> block sent back as it came.</summary>
/// <param name="Data">The opaque data.</param>
public sealed record RedactedThinkingBlockParam([property: JsonPropertyName("data")] string Data) : ContentBlockParam;

/// <summary>A <c>tool_use</c> block of an assistant turn.</summary>
/// <param name="Id">The call id.</param>
/// <param name="Name">The tool name.</param>
/// <param name="Input">The input object.</param>
public sealed record ToolUseBlockParam(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("input")] JsonElement Input) : ContentBlockParam;

/// <summary>A <c>tool_result</c> block of a user turn.</summary>
/// <param name="ToolUseId">The call it answers.</param>
/// <param name="Content">The result as text; null (absent) for an empty result.</param>
public sealed record ToolResultBlockParam(
    [property: JsonPropertyName("tool_use_id")] string ToolUseId,
    [property: JsonPropertyName("content"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content) : ContentBlockParam;
