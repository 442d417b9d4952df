using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Switchyard.Anthropic;
using Switchyard.Errors;

namespace Switchyard.Endpoints;

/// <summary>Writes JSON bodies and Anthropic error envelopes.</summary>
internal static class AnthropicResponses
{
    public static async Task WriteJsonAsync<T>(HttpContext context, T value, JsonTypeInfo<T> typeInfo, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, typeInfo, context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, GatewayException error)
    {
        ApplyErrorHeaders(context.Response, error);
        return WriteJsonAsync(context, ErrorBody(error, context.TraceIdentifier), AnthropicJsonContext.Default.ErrorResponse, error.Kind.StatusCode());
    }

    /// <summary>The Anthropic error envelope for <paramref name="error"/>.</summary>
    public static ErrorResponse ErrorBody(GatewayException error, string requestId) => new()
    {
        Error = new ErrorDetail(error.Kind.AnthropicType(), error.Message),
        RequestId = requestId,
    };

    public static void ApplyErrorHeaders(HttpResponse response, GatewayException error)
    {
        if (error.RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = retryAfter;
        }

        if (error.ShouldRetry is { } shouldRetry)
        {
            response.Headers["x-should-retry"] = shouldRetry ? "true" : "false";
        }
    }
}
