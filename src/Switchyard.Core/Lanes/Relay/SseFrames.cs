using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Switchyard.Lanes.Relay;

/// <summary>The byte-level pieces of server-sent events, for the client side.</summary>
public static class SseFrames
{
    /// <summary>The <c>data: [DONE]</c> frame that ends a Chat Completions stream.</summary>
    public static ReadOnlyMemory<byte> Done { get; } = "data: [DONE]\n\n"u8.ToArray();

    /// <summary>An SSE comment, ignored by every client parser: keeps idle proxies and clients from timing out.</summary>
    public static ReadOnlyMemory<byte> KeepAliveComment { get; } = ": keep-alive\n\n"u8.ToArray();

    /// <summary>Writes <c>event: name\n</c>.</summary>
    public static void WriteEventLine(IBufferWriter<byte> output, string name)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(name);
        output.Write("event: "u8);
        Encoding.UTF8.GetBytes(name.AsSpan(), output);
        output.Write("\n"u8);
    }

    /// <summary>Writes <c>data: </c> (the JSON follows).</summary>
    public static void WriteDataPrefix(IBufferWriter<byte> output) => output.Write("data: "u8);

    /// <summary>Writes the blank line that ends a frame.</summary>
    public static void WriteEnd(IBufferWriter<byte> output) => output.Write("\n\n"u8);

    /// <summary>Writes the frame of a typed event: <c>event: name</c>, then <paramref name="value"/> as one line of JSON.</summary>
    public static void WriteEvent<T>(IBufferWriter<byte> output, Utf8JsonWriter json, string name, T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(json);
        WriteEventLine(output, name);
        WriteDataPrefix(output);
        JsonSerializer.Serialize(json, value, typeInfo);
        json.Flush();
        WriteEnd(output);
    }

    /// <summary>Writes a <c>data:</c> frame holding <paramref name="json"/> (one line of JSON).</summary>
    public static void WriteData(IBufferWriter<byte> output, ReadOnlySpan<byte> json)
    {
        WriteDataPrefix(output);
        output.Write(json);
        WriteEnd(output);
    }
}
