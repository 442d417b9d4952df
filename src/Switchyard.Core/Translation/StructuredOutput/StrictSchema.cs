using System.Text.Json;

namespace Switchyard.Translation.StructuredOutput;

/// <summary>
/// Whether a JSON Schema fits DeepSeek's strict function-calling subset: types object, string, number, integer,
/// boolean, array, enum and anyOf; every object sets <c>additionalProperties:false</c> and lists every property in
/// <c>required</c>. Outside it, a strict tool would be rejected, so a plain forced call is used.
/// </summary>
public static class StrictSchema
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "type", "properties", "required", "additionalProperties", "items", "enum", "anyOf", "description", "title",
        "$schema", "minimum", "maximum", "minLength", "maxLength", "pattern", "format", "minItems", "maxItems", "default",
    };

    private static readonly HashSet<string> Types = new(StringComparer.Ordinal) { "object", "string", "number", "integer", "boolean", "array" };

    private static readonly HashSet<string> Kept = new(StringComparer.Ordinal)
    {
        "type", "properties", "required", "additionalProperties", "items", "enum", "anyOf", "description",
    };

    /// <summary>
    /// The schema as sent in strict mode: only the keywords DeepSeek documents for it (type, properties, required,
    /// additionalProperties, items, enum, anyOf, description). Bounds, patterns, titles and <c>$schema</c> that clients
    /// add are left out of what the upstream sees; the answer is still checked against the whole schema.
    /// </summary>
    public static JsonElement Reduce(JsonElement schema)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, schema);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static void Write(Utf8JsonWriter writer, JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            schema.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        foreach (var keyword in schema.EnumerateObject())
        {
            if (!Kept.Contains(keyword.Name))
            {
                continue;
            }

            writer.WritePropertyName(keyword.Name);
            switch (keyword.Name)
            {
                case "properties" when keyword.Value.ValueKind == JsonValueKind.Object:
                    writer.WriteStartObject();
                    foreach (var property in keyword.Value.EnumerateObject())
                    {
                        writer.WritePropertyName(property.Name);
                        Write(writer, property.Value);
                    }

                    writer.WriteEndObject();
                    break;
                case "anyOf" when keyword.Value.ValueKind == JsonValueKind.Array:
                    writer.WriteStartArray();
                    foreach (var option in keyword.Value.EnumerateArray())
                    {
                        Write(writer, option);
                    }

                    writer.WriteEndArray();
                    break;
                case "items":
                    Write(writer, keyword.Value);
                    break;
                default:
                    keyword.Value.WriteTo(writer);
                    break;
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>True when <paramref name="schema"/> fits the strict subset.</summary>
    public static bool Fits(JsonElement schema) => Fits(schema, depth: 0);

    private static bool Fits(JsonElement schema, int depth)
    {
        if (schema.ValueKind != JsonValueKind.Object || depth > 32)
        {
            return false;
        }

        foreach (var keyword in schema.EnumerateObject())
        {
            if (!Keywords.Contains(keyword.Name))
            {
                return false;
            }
        }

        if (schema.TryGetProperty("anyOf", out var anyOf))
        {
            return anyOf.ValueKind == JsonValueKind.Array && anyOf.EnumerateArray().All(s => Fits(s, depth + 1));
        }

        if (schema.TryGetProperty("enum", out var values) && !schema.TryGetProperty("type", out _))
        {
            return values.ValueKind == JsonValueKind.Array;
        }

        if (!schema.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || !Types.Contains(type.GetString()!))
        {
            return false;
        }

        switch (type.GetString())
        {
            case "object":
                if (!schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object ||
                    !schema.TryGetProperty("additionalProperties", out var additional) || additional.ValueKind != JsonValueKind.False ||
                    !schema.TryGetProperty("required", out var required) || required.ValueKind != JsonValueKind.Array)
                {
                    return false;
                }

                var names = required.EnumerateArray().Select(r => r.ValueKind == JsonValueKind.String ? r.GetString() : null).ToHashSet(StringComparer.Ordinal);
                return properties.EnumerateObject().All(p => names.Contains(p.Name) && Fits(p.Value, depth + 1));
            case "array":
                return schema.TryGetProperty("items", out var items) && Fits(items, depth + 1);
            default:
                return true;
        }
    }
}
