using System.Net;
using System.Text.Json;
using Switchyard.Errors;
using Switchyard.OpenAI;

namespace Switchyard.Providers;

/// <summary>
/// Maps an upstream's HTTP error onto a <see cref="GatewayException"/> for the client. The upstream's own body
/// never reaches the client as-is; its message is quoted only for client errors (4xx other than 401).
/// </summary>
public static class UpstreamErrors
{
    /// <summary>The exception for an upstream error response.</summary>
    public static GatewayException FromResponse(string provider, HttpStatusCode status, string body, string? retryAfter)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var message = ExtractMessage(body);
        var code = (int)status;
        return code switch
        {
            // Our key was rejected: the operator's problem, not the client's, and retrying will not help.
            401 or 403 => new GatewayException(GatewayErrorKind.Api,
                $"Switchyard's credentials for upstream '{provider}' were rejected ({code}); the gateway operator must fix the upstream API key.")
            { ShouldRetry = false },
            402 => new GatewayException(GatewayErrorKind.Billing, $"Upstream '{provider}' reports insufficient balance: {message}"),
            404 => new GatewayException(GatewayErrorKind.NotFound, $"Upstream '{provider}': {message}"),
            413 => new GatewayException(GatewayErrorKind.RequestTooLarge, $"Upstream '{provider}': {message}"),
            422 => new GatewayException(GatewayErrorKind.UnprocessableEntity, $"Upstream '{provider}' rejected the request's parameters: {message}"),
            429 => new GatewayException(GatewayErrorKind.RateLimit, $"Upstream '{provider}' rate limit reached: {message}") { RetryAfter = retryAfter },
            >= 400 and < 500 => new GatewayException(GatewayErrorKind.InvalidRequest, $"Upstream '{provider}' rejected the request: {message}"),
            503 or 529 => new GatewayException(GatewayErrorKind.Overloaded, $"Upstream '{provider}' is overloaded: {message}") { RetryAfter = retryAfter },
            504 => new GatewayException(GatewayErrorKind.Timeout, $"Upstream '{provider}' timed out: {message}"),
            _ => new GatewayException(GatewayErrorKind.Api, $"Upstream '{provider}' failed with {code}: {message}"),
        };
    }

    /// <summary>The upstream did not answer within <paramref name="timeout"/>.</summary>
    public static GatewayException Timeout(string provider, TimeSpan timeout, string what) =>
        new(GatewayErrorKind.Timeout, $"Upstream '{provider}' did not send {what} within {timeout.TotalSeconds:0} s.");

    /// <summary>
    /// The upstream could not be reached (502), or, when this machine ran out of sockets or ports, Switchyard is
    /// overloaded (see <see cref="Resilience.FailureClassifier.LocalOverload"/>).
    /// </summary>
    public static GatewayException Unreachable(string provider, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (Resilience.FailureClassifier.IsLocalResourceFailure(exception))
        {
            return Resilience.FailureClassifier.LocalOverload(provider, exception);
        }

        // The exception's message names the upstream's address ("Connection refused (10.0.0.5:443)"): the client gets
        // the kind of failure; the message stays with the inner exception, which the server logs.
        var failure = exception is HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http
            ? http.HttpRequestError.ToString()
            : exception.GetType().Name;
        return new(GatewayErrorKind.BadGateway, $"Upstream '{provider}' could not be reached ({failure}).", exception);
    }

    private static string ExtractMessage(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "(no body)";
        }

        try
        {
            var error = JsonSerializer.Deserialize(body, OpenAIJsonContext.Default.ChatErrorBody);
            if (error?.Error?.Message is { Length: > 0 } message)
            {
                return message;
            }
        }
        catch (JsonException)
        {
        }

        var trimmed = body.Trim();
        return trimmed.Length <= 500 ? trimmed : trimmed[..500] + "…";
    }
}
