namespace Switchyard.Errors;

/// <summary>
/// A failure that is reported to the client in its own wire format. The message is safe to show: it never
/// contains credentials or upstream addresses.
/// </summary>
public sealed class GatewayException : Exception
{
    /// <summary>Creates an exception of the given kind.</summary>
    public GatewayException(GatewayErrorKind kind, string message, string? param = null)
        : base(message)
    {
        Kind = kind;
        Param = param;
    }

    /// <summary>Creates an exception of the given kind that wraps the cause.</summary>
    public GatewayException(GatewayErrorKind kind, string message, Exception? innerException)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>What went wrong, which fixes the status code and error type.</summary>
    public GatewayErrorKind Kind { get; }

    /// <summary>The request field at fault, in the OpenAI envelope's <c>param</c> sense.</summary>
    public string? Param { get; }

    /// <summary>How long the client should wait before retrying, when known (sent as <c>retry-after</c>).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// Overrides the SDKs' retry decision (<c>x-should-retry</c>). False for server-side failures that a retry
    /// cannot fix, such as a rejected upstream key.
    /// </summary>
    public bool? ShouldRetry { get; init; }

    /// <summary>The OpenAI envelope's <c>code</c> when the kind's own does not say it (e.g. <c>previous_response_not_found</c>).</summary>
    public string? Code { get; init; }

    /// <summary>The upstream call that failed, when one did.</summary>
    public UpstreamFailure? Failure { get; init; }

    /// <summary><see cref="RetryAfter"/> in whole seconds, rounded up, for the <c>retry-after</c> header.</summary>
    public string? RetryAfterHeader => RetryAfter is { } delay
        ? Math.Max(0, (long)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture)
        : null;

    /// <summary>Shorthand for a 400 <c>invalid_request_error</c>.</summary>
    public static GatewayException Invalid(string message, string? param = null) =>
        new(GatewayErrorKind.InvalidRequest, message, param);
}
