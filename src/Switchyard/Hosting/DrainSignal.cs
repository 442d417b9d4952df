namespace Switchyard.Hosting;

/// <summary>
/// Fires shortly before the host's shutdown timeout (<c>Switchyard:DrainTimeout</c>) ends, after SIGTERM: the answers
/// still in progress then end with an error event in their client's format and are recorded as cut, instead of the
/// connection being reset with no word when the host gives up on them.
/// </summary>
internal sealed class DrainSignal : IDisposable
{
    private readonly CancellationTokenSource _drain = new();
    private readonly CancellationTokenRegistration _stopping;

    public DrainSignal(IHostApplicationLifetime lifetime, SwitchyardOptions options)
    {
        // Leave the lanes a moment to write their error event before the host aborts the connections.
        var grace = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, options.DrainTimeout.Ticks / 10));
        _stopping = lifetime.ApplicationStopping.Register(() => _drain.CancelAfter(options.DrainTimeout - grace));
    }

    /// <summary>Fires when the drain time is about to run out.</summary>
    public CancellationToken Token => _drain.Token;

    public void Dispose()
    {
        _stopping.Dispose();
        _drain.Dispose();
    }
}
