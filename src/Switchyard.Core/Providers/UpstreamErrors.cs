using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Switchyard.Errors;
using Switchyard.OpenAI;

namespace Switchyard.Providers;

/// <summary>
/// Maps upstream failures onto <see cref="GatewayException"/>s for the client. The upstream's own body never reaches
/// the client as-is (except on passthrough lanes, from <see cref="UpstreamFailure.Body"/>); its message is quoted
/// only for client errors, and upstream addresses are never quoted.
/// </summary>
public static class UpstreamErrors
{
    /// <summary>The exception for an OpenAI-format upstream's error response.</summary>
    public static GatewayException FromResponse(UpstreamFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var provider = failure.Provider;
        var code = failure.Status ?? 500;
        var message = ExtractMessage(failure.Body.Span);
        var kind = GatewayErrorKindExtensions.FromUpstreamStatus(code);
        return kind switch
        {
            // Our key was rejected: the operator's problem, not the client's, and retrying will not help.
            _ when code is 401 or 403 => new GatewayException(GatewayErrorKind.Api,
                $"Switchyard's credentials for upstream '{provider}' were rejected ({code}); the gateway operator must fix the upstream API key.")
            { ShouldRetry = false, Failure = failure },
            GatewayErrorKind.Billing => new(kind, $"Upstream '{provider}' reports insufficient balance: {message}") { Failure = failure },
            GatewayErrorKind.RateLimit => new(kind, $"Upstream '{provider}' rate limit reached: {message}") { RetryAfter = failure.RetryAfter, Failure = failure },
            GatewayErrorKind.Overloaded => new(kind, $"Upstream '{provider}' is overloaded: {message}") { RetryAfter = failure.RetryAfter, Failure = failure },
            GatewayErrorKind.Timeout => new(kind, $"Upstream '{provider}' timed out: {message}") { Failure = failure },
            GatewayErrorKind.Api => new(kind, $"Upstream '{provider}' failed with {code}: {message}") { Failure = failure },
            GatewayErrorKind.InvalidRequest => new(kind, $"Upstream '{provider}' rejected the request: {message}") { Failure = failure },
            _ => new(kind, $"Upstream '{provider}': {message}") { Failure = failure },
        };
    }

    /// <summary>
    /// The upstream did not answer within <paramref name="timeout"/>. Before acceptance (no response headers) it is
    /// retryable; after the upstream accepted the request it was generating, and is probably billed: not retried.
    /// </summary>
    public static GatewayException Timeout(string provider, TimeSpan timeout, string what, bool accepted) =>
        new(GatewayErrorKind.Timeout, $"Upstream '{provider}' did not send {what} within {timeout.TotalSeconds:0} s.")
        {
            Failure = new UpstreamFailure(provider, accepted ? FailureOrigin.AfterAcceptance : FailureOrigin.Transport),
        };

    /// <summary>An accepted response broke off (connection cut, malformed data): reported, not retried.</summary>
    public static GatewayException Broken(string provider, string what, Exception? cause = null) =>
        new(GatewayErrorKind.Api, $"Upstream '{provider}' {what}.", cause)
        {
            Failure = new UpstreamFailure(provider, FailureOrigin.AfterAcceptance),
        };

    /// <summary>An answer cut because Switchyard is shutting down and its drain time ran out (overloaded: retry elsewhere).</summary>
    public static GatewayException Draining(string provider) =>
        new(GatewayErrorKind.Overloaded, "Switchyard is shutting down and its drain time ran out before this answer was complete; retry the request.")
        {
            RetryAfter = TimeSpan.FromSeconds(1),
            Failure = new UpstreamFailure(provider, FailureOrigin.Drain),
        };

    /// <summary>
    /// The upstream could not be reached (502), or, when this machine ran out of sockets or ports, Switchyard is
    /// overloaded (529/503, not retried, not counted against the upstream). The message names no address.
    /// </summary>
    public static GatewayException Unreachable(string provider, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (IsLocalResourceFailure(exception))
        {
            return new GatewayException(GatewayErrorKind.Overloaded,
                $"Switchyard is overloaded: it has no local resources left to connect to upstream '{provider}'. Retry later.", exception)
            {
                RetryAfter = TimeSpan.FromSeconds(1),
                Failure = new UpstreamFailure(provider, FailureOrigin.Local),
            };
        }

        return new GatewayException(GatewayErrorKind.BadGateway, $"Upstream '{provider}' could not be reached ({Describe(exception)}).", exception)
        {
            Failure = new UpstreamFailure(provider, FailureOrigin.Transport),
        };
    }

    /// <summary>
    /// Whether <paramref name="exception"/> (or an inner one) is a socket error of this machine, not of the upstream:
    /// out of file descriptors (EMFILE, ENFILE), out of ephemeral ports or local addresses (EADDRINUSE,
    /// EADDRNOTAVAIL on connect), out of socket buffers (ENOBUFS).
    /// </summary>
    public static bool IsLocalResourceFailure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException
                {
                    SocketErrorCode: SocketError.TooManyOpenSockets or SocketError.AddressAlreadyInUse or SocketError.AddressNotAvailable
                    or SocketError.NoBufferSpaceAvailable,
                })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What went wrong on the connection, without the address it went wrong at.</summary>
    private static string Describe(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.HostNotFound or SocketError.NoData => "host not found",
                    SocketError.TimedOut => "connect timed out",
                    SocketError.ConnectionReset => "connection reset",
                    SocketError.NetworkUnreachable or SocketError.HostUnreachable => "network unreachable",
                    var code => code.ToString(),
                };
            }

            if (current is System.Security.Authentication.AuthenticationException)
            {
                return "TLS handshake failed";
            }

            if (current is TimeoutException or OperationCanceledException)
            {
                return "connect timed out";
            }
        }

        return "connection failed";
    }

    private static string ExtractMessage(ReadOnlySpan<byte> body)
    {
        if (body.Trim(" \t\r\n"u8).IsEmpty)
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

        var text = Encoding.UTF8.GetString(body).Trim();
        return text.Length <= 500 ? text : text[..500] + "…";
    }
}
