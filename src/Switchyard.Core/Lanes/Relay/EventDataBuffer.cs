using System.Net.ServerSentEvents;

namespace Switchyard.Lanes.Relay;

/// <summary>
/// Hands a relay each upstream event's data in one buffer that the next event reuses, instead of a new array per
/// event: the data of an event is valid until the relay asks for the next one, which is all a relay that frames and
/// writes each event before reading the next needs.
/// </summary>
/// <remarks>One per stream; not thread-safe. The buffer grows to the largest event seen and is never shrunk.</remarks>
internal sealed class EventDataBuffer
{
    private byte[] _buffer = [];

    public EventDataBuffer() => Parser = Copy;

    /// <summary>The parser to pass to <c>UpstreamResponse.ReadEventsAsync</c>.</summary>
    public SseItemParser<ReadOnlyMemory<byte>> Parser { get; }

    private ReadOnlyMemory<byte> Copy(string eventType, ReadOnlySpan<byte> data)
    {
        if (data.Length > _buffer.Length)
        {
            // Chat chunks are a few hundred bytes; round up so a slowly growing stream does not reallocate each time.
            _buffer = new byte[Math.Max(512, (int)Math.Min(Array.MaxLength, (long)data.Length * 2))];
        }

        data.CopyTo(_buffer);
        return _buffer.AsMemory(0, data.Length);
    }
}
