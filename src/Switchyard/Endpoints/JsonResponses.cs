using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Switchyard.Errors;
using Switchyard.Lanes;
using Switchyard.OpenAI;

namespace Switchyard.Endpoints;

/// <summary>Writes JSON bodies, and errors in the caller's format (the envelopes come from <see cref="ErrorBodies"/>).</summary>
internal static class JsonResponses
{
    public static async Task WriteJsonAsync<T>(HttpContext context, T value, JsonTypeInfo<T> typeInfo, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, typeInfo, context.RequestAborted);
    }

    /// <summary>Writes <paramref name="error"/> in <paramref name="format"/>'s envelope, with its status and retry headers.</summary>
    public static Task WriteErrorAsync(HttpContext context, GatewayException error, ClientFormat format)
    {
        var response = context.Response;
        if (error.RetryAfterHeader is { } retryAfter)
        {
            response.Headers.RetryAfter = retryAfter;
        }

        if (error.ShouldRetry is { } shouldRetry)
        {
            response.Headers["x-should-retry"] = shouldRetry ? "true" : "false";
        }

        var status = error.Kind.StatusCode(format);
        return format == ClientFormat.OpenAI
            ? WriteJsonAsync(context, ErrorBodies.OpenAI(error), OpenAIJsonContext.Default.ChatErrorBody, status)
            : WriteJsonAsync(context, ErrorBodies.Anthropic(error, context.TraceIdentifier), Anthropic.AnthropicJsonContext.Default.ErrorResponse, status);
    }
}
