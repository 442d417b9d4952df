using Switchyard.Accounting;

namespace Switchyard.Observability;

/// <summary>
/// Live figures of this process for <c>/admin/stats</c> and the dashboard: a per-second series of the last
/// <see cref="SeriesSeconds"/> seconds, totals, per-model figures, error counts and latency percentiles over the
/// most recent requests. Bounded memory; thread-safe.
/// </summary>
public sealed class LiveStats(GatewayTelemetry telemetry, TimeProvider? time = null)
{
    /// <summary>How many seconds the per-second series covers.</summary>
    public const int SeriesSeconds = 300;

    private const int Reservoir = 2048;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly SecondBucket[] _seconds = new SecondBucket[SeriesSeconds];
    private readonly Dictionary<string, ModelStats> _models = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly Window _latency = new(), _ttft = new(), _overhead = new(), _upstream = new();
    private readonly DateTimeOffset _startedAt = (time ?? TimeProvider.System).GetUtcNow();
    private readonly ModelStats _totals = new("total");

    /// <summary>Adds a finished request.</summary>
    public void Add(RequestRecord record, TimeSpan? upstream)
    {
        ArgumentNullException.ThrowIfNull(record);
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        lock (_gate)
        {
            ref var bucket = ref _seconds[now % SeriesSeconds];
            if (bucket.Second != now)
            {
                bucket = new SecondBucket { Second = now };
            }

            var failed = record.ErrorType is not null;
            bucket.Requests++;
            bucket.Errors += failed ? 1 : 0;
            bucket.InputTokens += record.InputTokens;
            bucket.OutputTokens += record.OutputTokens;
            bucket.CacheHitTokens += record.CacheHitTokens;
            bucket.CostUsd += record.CostUsd;
            // Keyed by the served model only, as the metrics are: the requested name of a refused request is the
            // client's text, and one entry per distinct name kept for the life of the process is unbounded memory.
            var model = record.ServedModel ?? "unknown";
            if (!_models.TryGetValue(model, out var stats))
            {
                _models[model] = stats = new ModelStats(model);
            }

            stats.Add(record);
            _totals.Add(record);
            if (record.ErrorType is { } error)
            {
                _errors[error] = _errors.GetValueOrDefault(error) + 1;
            }

            if (record.Latency is { } latency)
            {
                _latency.Add(latency.TotalMilliseconds);
                if (upstream is { } up)
                {
                    _upstream.Add(up.TotalMilliseconds);
                    _overhead.Add(Math.Max(0, (latency - up).TotalMilliseconds));
                }
            }

            if (record.TimeToFirstToken is { } ttft && !failed && record.Endpoint != "count_tokens")
            {
                _ttft.Add(ttft.TotalMilliseconds);
            }
        }
    }

    /// <summary>A snapshot of every figure.</summary>
    public StatsSnapshot Snapshot()
    {
        var now = _time.GetUtcNow();
        var nowSeconds = now.ToUnixTimeSeconds();
        lock (_gate)
        {
            var series = new List<SeriesPoint>(SeriesSeconds);
            for (var t = nowSeconds - SeriesSeconds + 1; t <= nowSeconds; t++)
            {
                var b = _seconds[t % SeriesSeconds];
                series.Add(b.Second == t
                    ? new SeriesPoint(t, b.Requests, b.Errors, b.InputTokens, b.OutputTokens, b.CacheHitTokens, b.CostUsd)
                    : new SeriesPoint(t, 0, 0, 0, 0, 0, 0));
            }

            var lastMinute = series.Skip(SeriesSeconds - 60).ToList();
            return new StatsSnapshot
            {
                StartedAt = _startedAt,
                Now = now,
                UptimeSeconds = Math.Round((now - _startedAt).TotalSeconds, 1),
                ActiveStreams = telemetry.CurrentStreams,
                RequestsPerSecond = Math.Round(lastMinute.Sum(p => p.Requests) / 60.0, 3),
                Totals = _totals.ToFigures(),
                CacheHitRatio = _totals.InputTokens == 0 ? 0 : Math.Round((double)_totals.CacheHitTokens / _totals.InputTokens, 4),
                LatencyMs = _latency.Percentiles(),
                TimeToFirstTokenMs = _ttft.Percentiles(),
                UpstreamMs = _upstream.Percentiles(),
                OverheadMs = _overhead.Percentiles(),
                ErrorsByType = new SortedDictionary<string, long>(_errors, StringComparer.Ordinal),
                Models = [.. _models.Values.OrderByDescending(m => m.Requests).Select(m => m.ToFigures())],
                Series = series,
            };
        }
    }

    private struct SecondBucket
    {
        public long Second;
        public long Requests;
        public long Errors;
        public long InputTokens;
        public long OutputTokens;
        public long CacheHitTokens;
        public decimal CostUsd;
    }

    private sealed class ModelStats(string name)
    {
        public long Requests { get; private set; }

        public long Errors { get; private set; }

        public long InputTokens { get; private set; }

        public long CacheHitTokens { get; private set; }

        public long OutputTokens { get; private set; }

        public long ReasoningTokens { get; private set; }

        public decimal CostUsd { get; private set; }

        public void Add(RequestRecord record)
        {
            Requests++;
            Errors += record.ErrorType is null ? 0 : 1;
            InputTokens += record.InputTokens;
            CacheHitTokens += record.CacheHitTokens;
            OutputTokens += record.OutputTokens;
            ReasoningTokens += record.ReasoningTokens;
            CostUsd += record.CostUsd;
        }

        public ModelFigures ToFigures() => new(name, Requests, Errors, InputTokens, CacheHitTokens, OutputTokens, ReasoningTokens, CostUsd);
    }

    /// <summary>The most recent values (a ring), for percentiles.</summary>
    private sealed class Window
    {
        private readonly double[] _values = new double[Reservoir];
        private long _count;

        public void Add(double value) => _values[_count++ % Reservoir] = value;

        public Percentiles Percentiles()
        {
            var n = (int)Math.Min(_count, Reservoir);
            if (n == 0)
            {
                return new Percentiles(0, null, null, null, null);
            }

            var sorted = _values.AsSpan(0, n).ToArray();
            Array.Sort(sorted);
            return new Percentiles(n, At(sorted, 0.5), At(sorted, 0.9), At(sorted, 0.99), sorted[^1]);
        }

        private static double At(double[] sorted, double q) => Math.Round(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)], 3);
    }
}

/// <summary>Everything <c>/admin/stats</c> answers.</summary>
public sealed class StatsSnapshot
{
    /// <summary>Always <c>stats</c>.</summary>
    public string Object { get; init; } = "stats";

    /// <summary>When this process started counting.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>The time of the snapshot.</summary>
    public DateTimeOffset Now { get; init; }

    /// <summary>Seconds since <see cref="StartedAt"/>.</summary>
    public double UptimeSeconds { get; init; }

    /// <summary>Streaming responses in progress.</summary>
    public long ActiveStreams { get; init; }

    /// <summary>Average over the last minute.</summary>
    public double RequestsPerSecond { get; init; }

    /// <summary>Totals since start.</summary>
    public required ModelFigures Totals { get; init; }

    /// <summary>Cache-hit input tokens over all input tokens since start.</summary>
    public double CacheHitRatio { get; init; }

    /// <summary>Total latency percentiles (ms) over the most recent requests.</summary>
    public required Percentiles LatencyMs { get; init; }

    /// <summary>Time-to-first-token percentiles (ms).</summary>
    public required Percentiles TimeToFirstTokenMs { get; init; }

    /// <summary>Upstream time percentiles (ms).</summary>
    public required Percentiles UpstreamMs { get; init; }

    /// <summary>Gateway overhead percentiles (ms): latency minus upstream time.</summary>
    public required Percentiles OverheadMs { get; init; }

    /// <summary>Failed requests by error type since start.</summary>
    public required IReadOnlyDictionary<string, long> ErrorsByType { get; init; }

    /// <summary>Figures per served model since start.</summary>
    public required IReadOnlyList<ModelFigures> Models { get; init; }

    /// <summary>One point per second, oldest first.</summary>
    public required IReadOnlyList<SeriesPoint> Series { get; init; }
}

/// <summary>Request, token and cost figures of a model (or of all, as <c>total</c>).</summary>
/// <param name="Model">The served model.</param>
/// <param name="Requests">Finished requests.</param>
/// <param name="Errors">Failed requests.</param>
/// <param name="InputTokens">All input tokens.</param>
/// <param name="CacheHitTokens">Input tokens from the cache.</param>
/// <param name="OutputTokens">Output tokens.</param>
/// <param name="ReasoningTokens">Reasoning tokens within the output.</param>
/// <param name="CostUsd">Cost in USD.</param>
public sealed record ModelFigures(string Model, long Requests, long Errors, long InputTokens, long CacheHitTokens, long OutputTokens, long ReasoningTokens, decimal CostUsd);

/// <summary>Percentiles over a window of recent values.</summary>
/// <param name="Count">How many values the window holds.</param>
/// <param name="P50">Median.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="Max">Largest.</param>
public sealed record Percentiles(int Count, double? P50, double? P90, double? P99, double? Max);

/// <summary>One second of traffic.</summary>
/// <param name="T">Unix time in seconds.</param>
/// <param name="Requests">Finished requests.</param>
/// <param name="Errors">Failed requests.</param>
/// <param name="InputTokens">Input tokens.</param>
/// <param name="OutputTokens">Output tokens.</param>
/// <param name="CacheHitTokens">Cache-hit input tokens.</param>
/// <param name="CostUsd">Cost in USD.</param>
public sealed record SeriesPoint(long T, long Requests, long Errors, long InputTokens, long OutputTokens, long CacheHitTokens, decimal CostUsd);
