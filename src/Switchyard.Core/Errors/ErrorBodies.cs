using System.Text.Json;
using Switchyard.Anthropic;
using Switchyard.OpenAI;

namespace Switchyard.Errors;

/// <summary>The error envelopes of both formats, built in one place for error responses and mid-stream error events.</summary>
public static class ErrorBodies
{
    /// <summary>The Anthropic <c>error</c> object.</summary>
    public static ErrorDetail AnthropicDetail(GatewayException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new ErrorDetail(error.Kind.AnthropicType(), error.Message);
    }

    /// <summary>The Anthropic envelope <c>{"type":"error","error":{type,message},"request_id"}</c>.</summary>
    public static ErrorResponse Anthropic(GatewayException error, string? requestId) =>
        new() { Error = AnthropicDetail(error), RequestId = requestId };

    /// <summary>The OpenAI envelope <c>{"error":{"message","type","param","code"}}</c>.</summary>
    public static ChatErrorBody OpenAI(GatewayException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new ChatErrorBody
        {
            Error = new ChatError
            {
                Message = error.Message,
                Type = error.Kind.OpenAIType(),
                Param = error.Param,
                Code = JsonSerializer.SerializeToElement(error.Code ?? error.Kind.OpenAICode(), OpenAIJsonContext.Default.String),
            },
        };
    }

    /// <summary>The OpenAI envelope as UTF-8 JSON (a mid-stream <c>data:</c> payload).</summary>
    public static byte[] OpenAIBytes(GatewayException error) =>
        JsonSerializer.SerializeToUtf8Bytes(OpenAI(error), OpenAIJsonContext.Default.ChatErrorBody);

    /// <summary>
    /// The exception for an Anthropic error body or <c>error</c> event (<c>{"type":"error","error":{type,message}}</c>).
    /// An upstream authentication failure is the gateway's misconfiguration: it is never shown as the client's 401.
    /// </summary>
    public static GatewayException FromAnthropic(JsonElement error, UpstreamFailure? failure = null)
    {
        var inner = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("error", out var e) ? e : error;
        var type = inner.ValueKind == JsonValueKind.Object && inner.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var message = inner.ValueKind == JsonValueKind.Object && inner.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
            ? m.GetString()!
            : "The upstream reported an error.";
        var kind = GatewayErrorKindExtensions.FromAnthropicType(type);
        return type == "authentication_error"
            ? new GatewayException(kind, "The upstream rejected the gateway's credentials; the gateway operator must fix the upstream API key.")
            {
                ShouldRetry = false,
                Failure = failure,
            }
            : new GatewayException(kind, message) { RetryAfter = failure?.RetryAfter, Failure = failure };
    }
}
