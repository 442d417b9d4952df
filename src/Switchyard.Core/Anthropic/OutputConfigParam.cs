using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchyard.Anthropic;

/// <summary><c>output_config</c>.</summary>
/// <param name="Effort"><c>low</c> … <c>max</c>; null (absent) for the model's default.</param>
/// <param name="Format">Structured output; null (absent) for free text.</param>
public sealed record OutputConfigParam(
    [property: JsonPropertyName("effort"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Effort,
    [property: JsonPropertyName("format"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] OutputFormatParam? Format);

/// <summary><c>output_config.format:{type:"json_schema", schema}</c>.</summary>
/// <param name="Schema">The JSON Schema the answer follows.</param>
public sealed record OutputFormatParam([property: JsonPropertyName("schema")] JsonElement Schema)
{
    /// <summary><c>json_schema</c>.</summary>
    [JsonPropertyName("type")]
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = "json_schema";
}
