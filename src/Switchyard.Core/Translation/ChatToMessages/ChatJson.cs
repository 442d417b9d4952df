using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchyard.Translation.ChatToMessages;

/// <summary>Writes JSON documents with one setup for this folder, by hand or through a source-generated context.</summary>
internal static class ChatJson
{
    // Relaxed escaping keeps non-ASCII text (CJK, emoji) readable and small; the output is never embedded in HTML.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Options for a source-generated context (<c>new XJsonContext(options)</c>) that writes with this folder's escaping.</summary>
    public static JsonSerializerOptions SerializerOptions(JsonIgnoreCondition ignore) => new()
    {
        Encoder = Options.Encoder,
        DefaultIgnoreCondition = ignore,
    };

    /// <summary>Runs <paramref name="write"/> on a fresh writer and returns the bytes written.</summary>
    public static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer, state);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>True when <paramref name="obj"/> has <paramref name="name"/> with a non-null value.</summary>
    public static bool TryGet(JsonElement obj, string name, out JsonElement value) =>
        (obj.ValueKind == JsonValueKind.Object ? obj.TryGetProperty(name, out value) : Fail(out value)) && value.ValueKind != JsonValueKind.Null;

    private static bool Fail(out JsonElement value)
    {
        value = default;
        return false;
    }

    /// <summary>A string property, or null when absent, null or not a string.</summary>
    public static string? GetString(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
