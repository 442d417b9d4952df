using System.Text.Json;
using Switchyard.Errors;
using Switchyard.OpenAI;

namespace Switchyard.Endpoints;

/// <summary>Writes OpenAI-style error bodies: <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal static class OpenAIResponses
{
    public static async Task WriteErrorAsync(HttpContext context, GatewayException error)
    {
        AnthropicResponses.ApplyErrorHeaders(context.Response, error);
        context.Response.StatusCode = OpenAIStatus(error.Kind);
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, ErrorBody(error), OpenAIJsonContext.Default.ChatErrorBody, context.RequestAborted);
    }

    /// <summary>The OpenAI error envelope for <paramref name="error"/>.</summary>
    public static ChatErrorBody ErrorBody(GatewayException error) => new()
    {
        Error = new ChatError
        {
            Message = error.Message,
            Type = error.Kind.OpenAIType(),
            Param = error.Param,
            Code = JsonSerializer.SerializeToElement(Code(error.Kind), OpenAIJsonContext.Default.String),
        },
    };

    /// <summary>OpenAI clients know no 529: an overloaded upstream is a 503, as DeepSeek sends it.</summary>
    private static int OpenAIStatus(GatewayErrorKind kind) => kind == GatewayErrorKind.Overloaded ? 503 : kind.StatusCode();

    private static string Code(GatewayErrorKind kind) => kind switch
    {
        GatewayErrorKind.InvalidRequest => "invalid_request_error",
        GatewayErrorKind.Authentication => "invalid_api_key",
        GatewayErrorKind.Billing => "insufficient_balance",
        GatewayErrorKind.NotFound => "model_not_found",
        GatewayErrorKind.RateLimit => "rate_limit_exceeded",
        GatewayErrorKind.RequestTooLarge => "request_too_large",
        GatewayErrorKind.UnsupportedMediaType => "unsupported_media_type",
        GatewayErrorKind.UnprocessableEntity => "invalid_request_error",
        _ => kind.OpenAIType(),
    };
}
