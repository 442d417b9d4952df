namespace Switchyard.Errors;

/// <summary>Where a failure that involved an upstream arose, which decides retries and the circuit breaker's verdict.</summary>
public enum FailureOrigin
{
    /// <summary>The upstream answered with an error status (its body is kept).</summary>
    Response,

    /// <summary>The upstream could not be reached, or did not answer in time before accepting the request.</summary>
    Transport,

    /// <summary>This machine ran out of sockets, ports or descriptors: nothing reached the upstream.</summary>
    Local,

    /// <summary>
    /// The upstream accepted the request and then failed (a timeout or cut while it was generating): it is probably
    /// billed, so it is not retried.
    /// </summary>
    AfterAcceptance,

    /// <summary>
    /// Switchyard stopped reading: it is shutting down and the drain time ran out. The client's answer was cut on
    /// purpose, with an error, not by the upstream.
    /// </summary>
    Drain,
}

/// <summary>
/// The facts of a failed upstream call, carried by <see cref="GatewayException.Failure"/>: who failed, how, the
/// status and <c>retry-after</c> it sent, and its own error body (kept for passthrough clients, which get the
/// upstream's answer as it was when no retry or fallback serves the request).
/// </summary>
/// <param name="Provider">The provider's name.</param>
/// <param name="Origin">Where the failure arose.</param>
public sealed record UpstreamFailure(string Provider, FailureOrigin Origin)
{
    /// <summary>The upstream's HTTP status, when it answered.</summary>
    public int? Status { get; init; }

    /// <summary>The upstream's <c>retry-after</c>, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The upstream's error body, when it answered (bounded by the caller).</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The content type of <see cref="Body"/>.</summary>
    public string? ContentType { get; init; }

    /// <summary>Response headers worth relaying to a passthrough client (rate-limit and retry hints).</summary>
    public IReadOnlyList<KeyValuePair<string, string[]>> Headers { get; init; } = [];
}
