using Switchyard.Errors;

namespace Switchyard.Limits;

/// <summary>
/// The answer to <see cref="AdmissionController.AdmitAsync"/>: admitted with a lease that holds the request's
/// concurrency slots until disposed (dispose at the end of the request, whatever its outcome), or rejected with the
/// error kind (429 rate limit, 402 billing, 403 permission), message and retry-after.
/// </summary>
public sealed class Admission : IAsyncDisposable
{
    private IAsyncDisposable? _lease;

    private Admission(IAsyncDisposable? lease, GatewayErrorKind? kind, string? message, int? retryAfterSeconds)
    {
        _lease = lease;
        RejectionKind = kind;
        Message = message;
        RetryAfterSeconds = retryAfterSeconds;
    }

    /// <summary>Whether the request may proceed.</summary>
    public bool IsAdmitted => RejectionKind is null;

    /// <summary>Why the request was rejected (null when admitted).</summary>
    public GatewayErrorKind? RejectionKind { get; }

    /// <summary>The message for the client (null when admitted).</summary>
    public string? Message { get; }

    /// <summary>Seconds to wait before retrying (rate limits), sent as <c>retry-after</c>.</summary>
    public int? RetryAfterSeconds { get; }

    /// <summary>An admission holding <paramref name="lease"/>.</summary>
    public static Admission Admitted(IAsyncDisposable? lease = null) => new(lease, null, null, null);

    /// <summary>A rejection.</summary>
    public static Admission Rejected(GatewayErrorKind kind, string message, int? retryAfterSeconds = null) => new(null, kind, message, retryAfterSeconds);

    /// <summary>The rejection as the exception the gateway middleware writes in the caller's format.</summary>
    /// <exception cref="InvalidOperationException">The request was admitted.</exception>
    public GatewayException ToException() => RejectionKind is { } kind
        ? new GatewayException(kind, Message ?? "Request rejected.")
        {
            RetryAfter = RetryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            ShouldRetry = kind == GatewayErrorKind.RateLimit ? null : false,
        }
        : throw new InvalidOperationException("The request was admitted.");

    /// <summary>Throws the rejection (see <see cref="ToException"/>) when not admitted.</summary>
    public void ThrowIfRejected()
    {
        if (!IsAdmitted)
        {
            throw ToException();
        }
    }

    /// <summary>Releases the concurrency slots (idempotent).</summary>
    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _lease, null) is { } lease ? lease.DisposeAsync() : ValueTask.CompletedTask;
}
