using System.Text.Json;
using Switchyard.Errors;

namespace Switchyard.Anthropic;

/// <summary>Typed reads of Messages request fields; every problem is a 400 naming the field's path, in the Messages API's words.</summary>
internal static class MessagesFieldReader
{
    /// <summary>Gets a property that is present and not null.</summary>
    public static bool TryGet(JsonElement element, string name, out JsonElement value) =>
        element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>A present, non-null string.</summary>
    public static string RequiredString(JsonElement element, string name, string path)
    {
        if (!TryGet(element, name, out var value))
        {
            throw GatewayException.Invalid($"{path}: Field required", path);
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw GatewayException.Invalid($"{path}: must be a string", path);
    }

    /// <summary>A string, or null when absent or null.</summary>
    public static string? OptionalString(JsonElement element, string name, string path)
    {
        if (!TryGet(element, name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw GatewayException.Invalid($"{path}: must be a string", path);
    }

    /// <summary>A 32-bit integer.</summary>
    public static int Integer(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var result)
            ? result
            : throw GatewayException.Invalid($"{path}: must be an integer", path);

    /// <summary>A boolean.</summary>
    public static bool Boolean(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw GatewayException.Invalid($"{path}: must be a boolean", path),
    };

    /// <summary>A number within [min, max], or null when absent.</summary>
    public static double? OptionalNumber(JsonElement root, string name, double min, double max)
    {
        if (!TryGet(root, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || double.IsNaN(number))
        {
            throw GatewayException.Invalid($"{name}: must be a number", name);
        }

        return number < min || number > max
            ? throw GatewayException.Invalid($"{name}: must be between {min} and {max}, got {number}", name)
            : number;
    }
}
