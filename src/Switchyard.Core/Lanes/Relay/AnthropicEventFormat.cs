using System.Buffers;
using System.Text.Json;
using Switchyard.Anthropic;

namespace Switchyard.Lanes.Relay;

/// <summary>Frames Messages API stream events: <c>event: type</c>, then the event as one line of JSON.</summary>
public sealed class AnthropicEventFormat : IEventFormat<StreamEvent>
{
    /// <summary>The single instance.</summary>
    public static AnthropicEventFormat Instance { get; } = new();

    /// <summary>The <c>ping</c> event, written when a stream is silent.</summary>
    public static ReadOnlyMemory<byte> Ping { get; } = "event: ping\ndata: {\"type\":\"ping\"}\n\n"u8.ToArray();

    private AnthropicEventFormat()
    {
    }

    /// <inheritdoc />
    public void Write(IBufferWriter<byte> output, Utf8JsonWriter json, StreamEvent item)
    {
        ArgumentNullException.ThrowIfNull(item);
        SseFrames.WriteEvent(output, json, item.EventName, item, AnthropicJsonContext.Default.StreamEvent);
    }

    /// <inheritdoc />
    public bool IsContent(StreamEvent item) => item is ContentBlockDeltaEvent;
}
