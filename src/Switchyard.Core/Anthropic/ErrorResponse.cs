using System.Text.Json.Serialization;

namespace Switchyard.Anthropic;

/// <summary>The Anthropic error envelope.</summary>
public sealed record ErrorResponse
{
    /// <summary>Always "error".</summary>
    [JsonPropertyName("type")] public string Type { get; init; } = "error";

    /// <summary>The error.</summary>
    [JsonPropertyName("error")] public required ErrorDetail Error { get; init; }

    /// <summary>The request id, as in the <c>request-id</c> header.</summary>
    [JsonPropertyName("request_id")] public string? RequestId { get; init; }
}

/// <summary>The <c>error</c> object of <see cref="ErrorResponse"/>.</summary>
/// <param name="Type">The error type, e.g. invalid_request_error.</param>
/// <param name="Message">What went wrong.</param>
public sealed record ErrorDetail(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("message")] string Message);
