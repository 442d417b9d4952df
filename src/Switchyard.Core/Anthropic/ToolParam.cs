using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchyard.Anthropic;

/// <summary>A custom tool definition.</summary>
/// <param name="Name">The tool name.</param>
/// <param name="Description">What it does; null (absent) for none.</param>
/// <param name="InputSchema">The JSON Schema of its input, an object schema.</param>
/// <param name="Strict"><see langword="true"/> for strict schema adherence; null (absent) otherwise.</param>
public sealed record ToolParam(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    [property: JsonPropertyName("input_schema")] JsonElement InputSchema,
    [property: JsonPropertyName("strict"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Strict);
