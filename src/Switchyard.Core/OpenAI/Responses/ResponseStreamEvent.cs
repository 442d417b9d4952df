using System.Text.Json.Serialization;

namespace Switchyard.OpenAI.Responses;

/// <summary>
/// One server-sent event of a streamed response (<c>event: {type}</c>, <c>data: {json}</c>). One record holds every
/// event type; each sets the fields its type has, and <see cref="SequenceNumber"/> numbers them from 0.
/// </summary>
public sealed record ResponseStreamEvent
{
    /// <summary>The event type, e.g. <c>response.output_text.delta</c>.</summary>
    [JsonPropertyName("type")] public required string Type { get; init; }

    /// <summary>The event's position in the stream, from 0.</summary>
    [JsonPropertyName("sequence_number")] public int SequenceNumber { get; init; }

    /// <summary>Lifecycle events: the response as it stands.</summary>
    [JsonPropertyName("response")] public ResponseObject? Response { get; init; }

    /// <summary>Item events: the item's index in <c>output</c>.</summary>
    [JsonPropertyName("output_index")] public int? OutputIndex { get; init; }

    /// <summary>Item events below the item level: the item's id.</summary>
    [JsonPropertyName("item_id")] public string? ItemId { get; init; }

    /// <summary>Content part events: the part's index in the item's content.</summary>
    [JsonPropertyName("content_index")] public int? ContentIndex { get; init; }

    /// <summary>Summary events: the part's index in the reasoning item's summary.</summary>
    [JsonPropertyName("summary_index")] public int? SummaryIndex { get; init; }

    /// <summary><c>response.output_item.added</c>/<c>.done</c>: the item.</summary>
    [JsonPropertyName("item")] public ResponseItem? Item { get; init; }

    /// <summary>Content and summary part events: the part.</summary>
    [JsonPropertyName("part")] public ResponseContentPart? Part { get; init; }

    /// <summary>Delta events: the new text.</summary>
    [JsonPropertyName("delta")] public string? Delta { get; init; }

    /// <summary>Text done events: the whole text.</summary>
    [JsonPropertyName("text")] public string? Text { get; init; }

    /// <summary><c>response.function_call_arguments.done</c>: the whole arguments.</summary>
    [JsonPropertyName("arguments")] public string? Arguments { get; init; }

    /// <summary><c>response.function_call_arguments.done</c>: the function name.</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary><c>response.custom_tool_call_input.done</c>: the whole input.</summary>
    [JsonPropertyName("input")] public string? Input { get; init; }

    /// <summary>Text events: log probabilities (always empty).</summary>
    [JsonPropertyName("logprobs")] public IReadOnlyList<object>? Logprobs { get; init; }

    /// <summary><c>error</c>: the error code.</summary>
    [JsonPropertyName("code")] public string? Code { get; init; }

    /// <summary><c>error</c>: the message.</summary>
    [JsonPropertyName("message")] public string? Message { get; init; }

    /// <summary><c>error</c>: the parameter at fault (always null mid-stream).</summary>
    [JsonPropertyName("param")] public string? Param { get; init; }
}
