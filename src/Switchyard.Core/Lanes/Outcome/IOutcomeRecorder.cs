using Switchyard.Errors;

namespace Switchyard.Lanes.Outcome;

/// <summary>
/// Where a request's <see cref="LaneOutcome"/> is written, once: the ledger record, metrics and the request log line
/// (the server's implementation), or nothing (tests, the <c>check</c> command).
/// </summary>
public interface IOutcomeRecorder
{
    /// <summary>The outcome being filled in.</summary>
    LaneOutcome Outcome { get; }

    /// <summary>Marks the time the first generated content reached the client.</summary>
    void MarkFirstToken();

    /// <summary>Writes the outcome with the HTTP status the client got; later calls do nothing.</summary>
    ValueTask CompleteAsync(int status, GatewayException? error = null);
}

/// <summary>A recorder that keeps the outcome and writes it nowhere.</summary>
public sealed class DiscardingOutcomeRecorder : IOutcomeRecorder
{
    /// <inheritdoc />
    public LaneOutcome Outcome { get; } = new();

    /// <summary>The status passed to <see cref="CompleteAsync"/>, once called.</summary>
    public int? Status { get; private set; }

    /// <inheritdoc />
    public void MarkFirstToken()
    {
    }

    /// <inheritdoc />
    public ValueTask CompleteAsync(int status, GatewayException? error = null)
    {
        Status ??= status;
        Outcome.Error ??= error;
        return ValueTask.CompletedTask;
    }
}
