using System.Buffers;
using System.Text.Json;
using Switchyard.OpenAI.Responses;

namespace Switchyard.Lanes.Relay;

/// <summary>Frames Responses API stream events: <c>event: {type}</c>, then the event as one line of JSON.</summary>
public sealed class ResponsesEventFormat : IEventFormat<ResponseStreamEvent>
{
    /// <summary>The single instance.</summary>
    public static ResponsesEventFormat Instance { get; } = new();

    private ResponsesEventFormat()
    {
    }

    /// <inheritdoc />
    public void Write(IBufferWriter<byte> output, Utf8JsonWriter json, ResponseStreamEvent item)
    {
        ArgumentNullException.ThrowIfNull(item);
        SseFrames.WriteEvent(output, json, item.Type, item, ResponsesJsonContext.Default.ResponseStreamEvent);
    }

    /// <inheritdoc />
    public bool IsContent(ResponseStreamEvent item) => item?.Delta is not null;
}
