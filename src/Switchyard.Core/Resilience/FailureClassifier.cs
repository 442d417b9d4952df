using Switchyard.Errors;

namespace Switchyard.Resilience;

/// <summary>Which upstream failures are retried, which move on to a fallback, and which count against a circuit.</summary>
public static class FailureClassifier
{
    /// <summary>
    /// Worth another attempt at the same target: 429, 5xx (also 503/529 overloaded and DeepSeek's
    /// <c>insufficient_system_resource</c>), connection failures and first-byte timeouts. Never a client error (4xx),
    /// never a rejected upstream key, never a failure on this machine, and never a failure after the upstream accepted
    /// the request (it was generating, and is probably billed).
    /// </summary>
    public static bool IsRetryable(GatewayException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.Failure?.Origin is FailureOrigin.Local or FailureOrigin.AfterAcceptance)
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
    /// Worth trying the route's next target: everything retryable, and failures that belong to one provider (its key
    /// rejected, its balance spent, the model unknown there). Client errors, local failures and failures after
    /// acceptance are not.
    /// </summary>
    public static bool IsFallbackEligible(GatewayException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.Failure?.Origin is FailureOrigin.Local or FailureOrigin.AfterAcceptance)
        {
            return false;
        }

        return IsRetryable(exception) || exception.Kind is GatewayErrorKind.Billing or GatewayErrorKind.NotFound or GatewayErrorKind.Api;
    }

    /// <summary>
    /// Whether the failure says the endpoint is unhealthy (counted by its circuit breaker): unreachable, timed out,
    /// 5xx and overload. A 429 is backpressure from a healthy upstream, not a health failure; a local failure says nothing
    /// about the upstream.
    /// </summary>
    public static bool CountsAsFailure(GatewayException exception) =>
        IsRetryable(exception) && exception.Kind != GatewayErrorKind.RateLimit;

    /// <summary>Whether the attempt failed on this machine, before anything reached the upstream: no verdict on its health.</summary>
    public static bool IsLocalFailure(GatewayException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Failure?.Origin == FailureOrigin.Local;
    }
}
