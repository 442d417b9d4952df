using System.Buffers;
using System.Text.Json;

namespace Switchyard.Lanes.Relay;

/// <summary>One server-sent event whose JSON is already written: <c>[event: name]</c> and <c>data: json</c>.</summary>
/// <param name="Json">One line of JSON.</param>
/// <param name="IsContent">Whether it carries generated content (reasoning, text or a tool call).</param>
/// <param name="EventName">The <c>event:</c> name, or null for data-only events (Chat Completions).</param>
public readonly record struct JsonFrame(ReadOnlyMemory<byte> Json, bool IsContent, string? EventName = null);

/// <summary>Frames <see cref="JsonFrame"/>s.</summary>
public sealed class JsonFrameFormat : IEventFormat<JsonFrame>
{
    /// <summary>The single instance.</summary>
    public static JsonFrameFormat Instance { get; } = new();

    private JsonFrameFormat()
    {
    }

    /// <inheritdoc />
    public void Write(IBufferWriter<byte> output, Utf8JsonWriter json, JsonFrame item)
    {
        if (item.EventName is { } name)
        {
            SseFrames.WriteEventLine(output, name);
        }

        SseFrames.WriteData(output, item.Json.Span);
    }

    /// <inheritdoc />
    public bool IsContent(JsonFrame item) => item.IsContent;
}
