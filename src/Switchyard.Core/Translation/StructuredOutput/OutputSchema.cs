using System.Text.Json;

namespace Switchyard.Translation.StructuredOutput;

/// <summary>
/// A client's request for structured output: a JSON Schema the answer must match (Anthropic
/// <c>output_config.format</c>, OpenAI <c>response_format:{type:"json_schema"}</c>, Responses <c>text.format</c>).
/// </summary>
/// <param name="Name">The schema's name (OpenAI's <c>json_schema.name</c>), or a default.</param>
/// <param name="Schema">The schema (cloned: it outlives the request document).</param>
/// <param name="Description">What the output is, if the client said.</param>
public sealed record OutputSchema(string Name, JsonElement Schema, string? Description = null)
{
    /// <summary>The name used when the client gives none.</summary>
    public const string DefaultName = "structured_output";

    /// <summary>From OpenAI's <c>response_format</c> object of type <c>json_schema</c>.</summary>
    /// <exception cref="Errors.GatewayException">The object does not hold a JSON Schema.</exception>
    public static OutputSchema FromOpenAI(JsonElement responseFormat, string path = "response_format")
    {
        if (!responseFormat.TryGetProperty("json_schema", out var jsonSchema) || jsonSchema.ValueKind != JsonValueKind.Object ||
            !jsonSchema.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
        {
            throw Errors.GatewayException.Invalid($"{path}.json_schema.schema: required, and must be a JSON Schema object.", $"{path}.json_schema.schema");
        }

        return new OutputSchema(
            jsonSchema.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String && name.GetString() is { Length: > 0 } n ? n : DefaultName,
            schema.Clone(),
            jsonSchema.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String ? description.GetString() : null);
    }

    /// <summary>From Anthropic's <c>output_config.format</c> object of type <c>json_schema</c>.</summary>
    /// <exception cref="Errors.GatewayException">The object does not hold a JSON Schema.</exception>
    public static OutputSchema FromAnthropic(JsonElement format, string path = "output_config.format")
    {
        if (!format.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
        {
            throw Errors.GatewayException.Invalid($"{path}.schema: required, and must be a JSON Schema object.", path);
        }

        return new OutputSchema(DefaultName, schema.Clone());
    }
}
