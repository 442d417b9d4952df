using System.Text.Json.Serialization;

namespace Switchyard.Anthropic;

/// <summary>A Messages API response (<c>type:"message"</c>), also the <c>message</c> of <c>message_start</c>.</summary>
public sealed record MessageResponse
{
    /// <summary><c>msg_…</c>.</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }

    /// <summary>Always "message".</summary>
    [JsonPropertyName("type")] public string Type { get; init; } = "message";

    /// <summary>Always "assistant".</summary>
    [JsonPropertyName("role")] public string Role { get; init; } = "assistant";

    /// <summary>The model that actually served the request.</summary>
    [JsonPropertyName("model")] public required string Model { get; init; }

    /// <summary>Content blocks in order: thinking, text, tool_use.</summary>
    [JsonPropertyName("content")] public required IReadOnlyList<ResponseBlock> Content { get; init; }

    /// <summary>Why generation stopped; null only in <c>message_start</c>.</summary>
    [JsonPropertyName("stop_reason")] public string? StopReason { get; init; }

    /// <summary>The stop sequence that fired, if any.</summary>
    [JsonPropertyName("stop_sequence")] public string? StopSequence { get; init; }

    /// <summary>Token usage.</summary>
    [JsonPropertyName("usage")] public required MessageUsage Usage { get; init; }
}
