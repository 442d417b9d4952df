using System.Buffers;
using System.Text.Json;

namespace Switchyard.Lanes.Relay;

/// <summary>How one kind of item is framed as a server-sent event on the client's stream.</summary>
/// <typeparam name="T">The item: a typed event, or JSON bytes already translated.</typeparam>
public interface IEventFormat<in T>
{
    /// <summary>Writes the whole frame of <paramref name="item"/> (<c>event:</c> line if any, <c>data:</c> line, blank line).</summary>
    void Write(IBufferWriter<byte> output, Utf8JsonWriter json, T item);

    /// <summary>Whether the item carries generated content (the first such item marks the time to first token).</summary>
    bool IsContent(T item);
}
