using System.Net.Sockets;
using Switchyard.Errors;

namespace Switchyard.Resilience;

/// <summary>Which upstream failures are retried, which move on to a fallback, and which count against a circuit.</summary>
public static class FailureClassifier
{
    private const string CircuitOpenKey = "switchyard.circuit-open";
    private const string LocalFailureKey = "switchyard.local-failure";

    /// <summary>
    /// Worth another attempt at the same target: 429, 5xx (also 503/529 overloaded and DeepSeek's
    /// <c>insufficient_system_resource</c>), connection failures and first-byte timeouts. Never a client error (4xx),
    /// never a rejected upstream key.
    /// </summary>
    public static bool IsRetryable(GatewayException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.Data.Contains(CircuitOpenKey) || IsLocalFailure(exception))
        {
            return false;
        }

        return exception.Kind switch
        {
            GatewayErrorKind.RateLimit or GatewayErrorKind.Overloaded or GatewayErrorKind.BadGateway or GatewayErrorKind.Timeout => true,
            GatewayErrorKind.Api => exception.ShouldRetry != false,
            _ => false,
        };
    }

    /// <summary>
    /// Worth trying the route's next target: everything retryable, an open circuit, and failures that belong to one
    /// provider (its key rejected, its balance spent, the model unknown there). Client errors are not.
    /// </summary>
    public static bool IsFallbackEligible(GatewayException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return IsRetryable(exception) || exception.Data.Contains(CircuitOpenKey) ||
               exception.Kind is GatewayErrorKind.Billing or GatewayErrorKind.NotFound or GatewayErrorKind.Api;
    }

    /// <summary>Whether the failure says the endpoint is unhealthy (counted by its circuit breaker).</summary>
    public static bool CountsAsFailure(GatewayException exception) => IsRetryable(exception);

    /// <summary>
    /// Whether the attempt failed on this machine, before anything reached the upstream (see
    /// <see cref="IsLocalResourceFailure"/>): it says nothing about the endpoint's health, neither way.
    /// </summary>
    public static bool IsLocalFailure(GatewayException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Data.Contains(LocalFailureKey);
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

    /// <summary>
    /// The error for an upstream connect that failed for lack of local resources: overloaded (529/503), not retried
    /// (a retry or a fallback would need the same resources), not counted by the circuit breaker.
    /// </summary>
    public static GatewayException LocalOverload(string provider, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(exception);
        var overload = new GatewayException(GatewayErrorKind.Overloaded,
            $"Switchyard is overloaded: it has no local resources left to connect to upstream '{provider}' ({exception.Message}). Retry later.", exception)
        {
            RetryAfter = "1",
        };
        overload.Data[LocalFailureKey] = true;
        return overload;
    }

    /// <summary>The error for a provider whose every endpoint has an open circuit (529, tried no further on that provider).</summary>
    public static GatewayException CircuitOpen(string provider)
    {
        var exception = new GatewayException(GatewayErrorKind.Overloaded,
            $"Upstream '{provider}' is unavailable: the circuit breaker of every endpoint is open after repeated failures.");
        exception.Data[CircuitOpenKey] = true;
        return exception;
    }

    /// <summary>Seconds of a <c>retry-after</c> value, when it is a number.</summary>
    public static TimeSpan? RetryAfter(GatewayException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return double.TryParse(exception.RetryAfter, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }
}
