using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchyard.OpenAI;

/// <summary>
/// A requested JSON Schema output format: Responses' <c>text.format</c> and Chat Completions'
/// <c>response_format.json_schema</c> carry the same parts (this record is the latter's wire shape).
/// </summary>
/// <param name="Name">The format's name.</param>
/// <param name="Schema">The JSON Schema.</param>
/// <param name="Description">What the format is for.</param>
/// <param name="Strict">Whether the client asked for strict adherence.</param>
public sealed record JsonSchemaFormat(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("schema")] JsonElement Schema,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("strict")] bool Strict);
