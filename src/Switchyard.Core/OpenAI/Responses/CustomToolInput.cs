using System.Text;
using System.Text.Json;

namespace Switchyard.OpenAI.Responses;

/// <summary>
/// How a custom (freeform) tool travels over Chat Completions, which only has functions: as a function with one
/// string parameter <c>input</c>. The model's text goes in and out of that parameter.
/// </summary>
public static class CustomToolInput
{
    /// <summary>The function's parameter schema.</summary>
    public static JsonElement Schema { get; } = JsonElement.Parse(
        """{"type":"object","properties":{"input":{"type":"string","description":"The raw input for the tool, exactly as the tool expects it (not JSON-encoded)."}},"required":["input"],"additionalProperties":false}""");

    /// <summary>The function's description: the tool's own, plus its grammar when it has one.</summary>
    public static string? Describe(ResponsesTool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        if (tool.Format is not { ValueKind: JsonValueKind.Object } format ||
            !format.TryGetProperty("type", out var type) || type.GetString() != "grammar")
        {
            return tool.Description;
        }

        var syntax = format.TryGetProperty("syntax", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : "lark";
        var definition = format.TryGetProperty("definition", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : string.Empty;
        return new StringBuilder(tool.Description ?? string.Empty)
            .Append("\n\nThe input must follow this ").Append(syntax).Append(" grammar:\n").Append(definition)
            .ToString().TrimStart('\n');
    }

    /// <summary>The function arguments that carry <paramref name="input"/>.</summary>
    public static string Arguments(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("input", input);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The input carried by function <paramref name="arguments"/>; arguments that are not that shape are the input.</summary>
    public static string Input(string arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        try
        {
            using var document = JsonDocument.Parse(arguments);
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.String)
            {
                return input.GetString()!;
            }
        }
        catch (JsonException)
        {
        }

        return arguments;
    }
}
