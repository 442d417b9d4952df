using System.Collections.Concurrent;

namespace Switchyard.Lanes.Relay;

/// <summary>
/// One timer for the pings of every open SSE stream with a given ping interval, instead of a timer and a waiting
/// task per stream (which cost memory and timer-queue work with thousands of slow streams open): each tick, a quarter
/// of the interval apart, walks the open streams and starts a ping on those silent for the interval.
/// </summary>
public sealed class PingScheduler : IDisposable
{
    private static readonly ConcurrentDictionary<long, PingScheduler> ByInterval = new();
    private static readonly TimeSpan MinimumTick = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<ClientEventStream, byte> _sinks = new();
    private readonly Timer _timer;
    private int _ticking;

    private PingScheduler(TimeSpan interval)
    {
        var tick = interval / 4 < MinimumTick ? MinimumTick : interval / 4;
        _timer = new Timer(static state => ((PingScheduler)state!).Tick(), this, tick, tick);
    }

    /// <summary>The scheduler for <paramref name="interval"/> (one per distinct interval, for the process's lifetime).</summary>
    public static PingScheduler For(TimeSpan interval) =>
        ByInterval.GetOrAdd(interval.Ticks, static ticks => new PingScheduler(TimeSpan.FromTicks(ticks)));

    /// <summary>Streams currently watched.</summary>
    public int Count => _sinks.Count;

    internal void Add(ClientEventStream sink) => _sinks.TryAdd(sink, 0);

    internal void Remove(ClientEventStream sink) => _sinks.TryRemove(sink, out _);

    /// <summary>Stops the timer (schedulers live as long as the process; this is for completeness).</summary>
    public void Dispose() => _timer.Dispose();

    private void Tick()
    {
        // A slow walk (a starved thread pool) must not overlap the next one.
        if (Interlocked.Exchange(ref _ticking, 1) != 0)
        {
            return;
        }

        try
        {
            var now = Environment.TickCount64;
            foreach (var entry in _sinks)
            {
                entry.Key.PingIfIdle(now);
            }
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }
}
