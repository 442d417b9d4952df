using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchyard.Anthropic;

/// <summary>A response content block.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TextContent), "text")]
[JsonDerivedType(typeof(ThinkingContent), "thinking")]
[JsonDerivedType(typeof(ToolUseContent), "tool_use")]
public abstract record ResponseBlock;

/// <summary>A <c>text</c> block.</summary>
public sealed record TextContent : ResponseBlock
{
    /// <summary>The text.</summary>
    [JsonPropertyName("text")] public required string Text { get; init; }

    /// <summary>Always null: DeepSeek produces no citations.</summary>
    [JsonPropertyName("citations")] public JsonElement? Citations { get; init; }
}

/// <summary>A <c>thinking</c> block carrying a Switchyard signature.</summary>
public sealed record ThinkingContent : ResponseBlock
{
    /// <summary>The reasoning text (empty when display is omitted).</summary>
    [JsonPropertyName("thinking")] public required string Thinking { get; init; }

    /// <summary>A signature Switchyard verifies when the block comes back.</summary>
    [JsonPropertyName("signature")] public required string Signature { get; init; }
}

/// <summary>A <c>tool_use</c> block.</summary>
public sealed record ToolUseContent : ResponseBlock
{
    /// <summary>The upstream's call id, kept so tool results round-trip.</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }

    /// <summary>The tool name.</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }

    /// <summary>The input object.</summary>
    [JsonPropertyName("input")] public required JsonElement Input { get; init; }
}
