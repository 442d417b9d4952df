using System.Globalization;
using System.Text.Json;
using Switchyard.Errors;

namespace Switchyard.Translation.ChatToMessages;

/// <summary>
/// Typed reads of Chat Completions fields for <see cref="ChatToMessagesReader"/>: every problem is a 400
/// <c>invalid_request_error</c> whose message and <c>param</c> name the field's path. Null counts as absent.
/// </summary>
internal static class ChatFieldReader
{
    /// <summary>A non-empty string; <paramref name="path"/> names it in the error (default: <paramref name="name"/>).</summary>
    public static string RequiredString(JsonElement obj, string name, string? path = null)
    {
        path ??= name;
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || value.GetString()!.Length == 0)
        {
            throw GatewayException.Invalid($"{path}: required, and must be a non-empty string.", path);
        }

        return value.GetString()!;
    }

    /// <summary>A string, or null when absent or null.</summary>
    public static string? OptionalString(JsonElement obj, string name)
    {
        if (!ChatJson.TryGet(obj, name, out var value))
        {
            return null;
        }

        RequireKind(value, JsonValueKind.String, name, "a string");
        return value.GetString();
    }

    /// <summary>A boolean, or null when absent or null.</summary>
    public static bool? OptionalBool(JsonElement obj, string name, string? path = null)
    {
        if (!ChatJson.TryGet(obj, name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw GatewayException.Invalid($"{path ?? name}: must be a boolean.", path ?? name),
        };
    }

    /// <summary>An integer (integral doubles such as <c>1024.0</c> included), or null when absent or null.</summary>
    public static int? OptionalInt(JsonElement obj, string name, string? path = null)
    {
        if (!ChatJson.TryGet(obj, name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var result))
        {
            return result;
        }

        // Integral doubles such as 1024.0 are accepted, as Python clients sometimes send them.
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
        {
            return (int)d;
        }

        throw GatewayException.Invalid($"{path ?? name}: must be an integer.", path ?? name);
    }

    /// <summary>A number within [<paramref name="min"/>, <paramref name="max"/>], or null when absent or null.</summary>
    public static double? OptionalNumber(JsonElement obj, string name, double min, double max)
    {
        if (!ChatJson.TryGet(obj, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || number < min || number > max)
        {
            throw GatewayException.Invalid(
                $"{name}: must be a number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}.", name);
        }

        return number;
    }

    /// <summary>Throws unless <paramref name="value"/> is of <paramref name="kind"/>, saying it must be <paramref name="what"/>.</summary>
    public static void RequireKind(JsonElement value, JsonValueKind kind, string path, string what)
    {
        if (value.ValueKind != kind)
        {
            throw GatewayException.Invalid($"{path}: must be {what}.", path);
        }
    }
}
