using Switchyard.Lanes.Outcome;
using Switchyard.Lanes.Relay;

namespace Switchyard.Lanes;

/// <summary>One request on its way through a lane: what the client sent, where the answer goes, and the outcome.</summary>
public sealed class LaneCall
{
    /// <summary>What the client sent.</summary>
    public required LaneRequest Request { get; init; }

    /// <summary>The client's response.</summary>
    public required IClientResponse Response { get; init; }

    /// <summary>Where the outcome is written.</summary>
    public required IOutcomeRecorder Recorder { get; init; }

    /// <summary>Admits the request for the served model (keys, limits, budgets); throws the rejection.</summary>
    public Func<string, CancellationToken, ValueTask> AdmitAsync { get; init; } = static (_, _) => ValueTask.CompletedTask;

    /// <summary>Fires when the server's drain time runs out: answers still in progress end with an error, not a reset.</summary>
    public CancellationToken Drain { get; init; }

    /// <summary>How long a stream to the client may stay silent before a ping is written.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The route's targets that this client format can be served by (set by the runner; stream continuation may use them).</summary>
    public IReadOnlyList<Routing.ResolvedTarget> Targets { get; set; } = [];

    /// <summary>The outcome being filled in.</summary>
    public LaneOutcome Outcome => Recorder.Outcome;

    /// <summary>Cancelled when the client goes away.</summary>
    public CancellationToken Aborted => Response.Aborted;

    /// <summary>
    /// Records the outcome (ledger, metrics, log) with <paramref name="status"/>: called by the relay right before the
    /// response's last bytes, so a record exists for every answer a client got.
    /// </summary>
    public ValueTask FinishAsync(int status = 200, Errors.GatewayException? error = null)
    {
        if (error is not null)
        {
            Outcome.Error = error;
            Outcome.Cut |= error.Failure?.Origin == Errors.FailureOrigin.Drain;
        }

        return Recorder.CompleteAsync(status, error);
    }
}
