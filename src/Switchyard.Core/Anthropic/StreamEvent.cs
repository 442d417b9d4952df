using System.Text.Json.Serialization;

namespace Switchyard.Anthropic;

/// <summary>One server-sent event of a streaming Messages response; <see cref="EventName"/> equals its <c>type</c>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(MessageStartEvent), "message_start")]
[JsonDerivedType(typeof(ContentBlockStartEvent), "content_block_start")]
[JsonDerivedType(typeof(ContentBlockDeltaEvent), "content_block_delta")]
[JsonDerivedType(typeof(ContentBlockStopEvent), "content_block_stop")]
[JsonDerivedType(typeof(MessageDeltaEvent), "message_delta")]
[JsonDerivedType(typeof(MessageStopEvent), "message_stop")]
[JsonDerivedType(typeof(PingEvent), "ping")]
[JsonDerivedType(typeof(ErrorEvent), "error")]
public abstract record StreamEvent
{
    /// <summary>The SSE <c>event:</c> name, equal to the JSON <c>type</c>.</summary>
    [JsonIgnore] public abstract string EventName { get; }
}

/// <summary><c>message_start</c>.</summary>
/// <param name="Message">The message with empty content.</param>
public sealed record MessageStartEvent([property: JsonPropertyName("message")] MessageResponse Message) : StreamEvent
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string EventName => "message_start";
}

/// <summary><c>content_block_start</c>.</summary>
/// <param name="Index">The block index, 0..n in emission order.</param>
/// <param name="ContentBlock">The empty initial block.</param>
public sealed record ContentBlockStartEvent(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("content_block")] ResponseBlock ContentBlock) : StreamEvent
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string EventName => "content_block_start";
}

/// <summary><c>content_block_delta</c>.</summary>
/// <param name="Index">The block index.</param>
/// <param name="Delta">What to add.</param>
public sealed record ContentBlockDeltaEvent(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("delta")] BlockDelta Delta) : StreamEvent
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string EventName => "content_block_delta";
}

/// <summary><c>content_block_stop</c>.</summary>
/// <param name="Index">The block index.</param>
public sealed record ContentBlockStopEvent([property: JsonPropertyName("index")] int Index) : StreamEvent
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string EventName => "content_block_stop";
}

/// <summary><c>message_delta</c> with the stop reason and the cumulative usage.</summary>
/// <param name="Delta">Stop reason and sequence.</param>
/// <param name="Usage">Cumulative usage.</param>
public sealed record MessageDeltaEvent(
    [property: JsonPropertyName("delta")] MessageDelta Delta,
    [property: JsonPropertyName("usage")] MessageUsage Usage) : StreamEvent
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string EventName => "message_delta";
}

/// <summary>The <c>delta</c> of <see cref="MessageDeltaEvent"/>.</summary>
/// <param name="StopReason">Why generation stopped.</param>
/// <param name="StopSequence">The sequence that fired, or null.</param>
public sealed record MessageDelta(
    [property: JsonPropertyName("stop_reason")] string StopReason,
    [property: JsonPropertyName("stop_sequence")] string? StopSequence);

/// <summary><c>message_stop</c>.</summary>
public sealed record MessageStopEvent : StreamEvent
{
    /// <summary>The single instance.</summary>
    public static MessageStopEvent Instance { get; } = new();

    /// <inheritdoc />
    [JsonIgnore]
    public override string EventName => "message_stop";
}

/// <summary><c>ping</c>.</summary>
public sealed record PingEvent : StreamEvent
{
    /// <summary>The single instance.</summary>
    public static PingEvent Instance { get; } = new();

    /// <inheritdoc />
    [JsonIgnore]
    public override string EventName => "ping";
}

/// <summary>An <c>error</c> event after the stream started.</summary>
/// <param name="Error">The error.</param>
public sealed record ErrorEvent([property: JsonPropertyName("error")] ErrorDetail Error) : StreamEvent
{
    /// <inheritdoc />
    [JsonIgnore]
    public override string EventName => "error";
}
