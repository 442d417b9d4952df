using System.Diagnostics;
using Switchyard.Accounting;

namespace Switchyard.Observability;

/// <summary>
/// Writes one structured log line per finished request (category <c>Switchyard.Requests</c>). With
/// <c>Logging:Console:FormatterName=json</c> each line is a JSON object whose <c>State</c> holds every field.
/// Never logs the key's secret or message content.
/// </summary>
internal sealed class RequestLogObserver(ILoggerFactory loggers) : IRequestObserver
{
    /// <summary>The log category.</summary>
    public const string Category = "Switchyard.Requests";

    private const string Template =
        "{RequestId} {Endpoint} {Format} key={KeyName} key_id={KeyId} model={RequestedModel}->{ServedModel} remapped={Remapped} " +
        "route={Route} provider={Provider} stream={Stream} status={Status} error={ErrorType} stop={StopReason} " +
        "tokens in={InputTokens} cache_hit={CacheHitTokens} cache_miss={CacheMissTokens} out={OutputTokens} reasoning={ReasoningTokens} " +
        "cost_usd={CostUsd} latency_ms={LatencyMs} ttft_ms={TimeToFirstTokenMs} upstream_ms={UpstreamMs} overhead_ms={OverheadMs} " +
        "retries={Retries} client_disconnected={ClientDisconnected} trace_id={TraceId}";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    public void OnCompleted(RequestRecord record)
    {
        var level = record.Status >= 500 ? LogLevel.Warning : LogLevel.Information;
        if (!_logger.IsEnabled(level))
        {
            return;
        }

        try
        {
            var upstream = record.UpstreamTime ?? RequestTelemetryScope.Current?.UpstreamTime;
            var overhead = record.Latency is { } latency && upstream is { } up ? latency - up : (TimeSpan?)null;
            _logger.Log(level, new EventId(1, "RequestCompleted"), Template, [
                record.RequestId, record.Endpoint, record.Format, LogText.Escape(record.KeyName), record.KeyId, LogText.Escape(record.RequestedModel),
                LogText.Escape(record.ServedModel), record.Remapped, LogText.Escape(record.Route), LogText.Escape(record.Provider), record.Stream, record.Status,
                record.ErrorType, LogText.Escape(record.StopReason),
                record.InputTokens, record.CacheHitTokens, record.CacheMissTokens, record.OutputTokens, record.ReasoningTokens,
                record.CostUsd, Ms(record.Latency), Ms(record.TimeToFirstToken), Ms(upstream), Ms(overhead),
                record.Retries, record.ClientDisconnected, Activity.Current?.TraceId.ToHexString(),
            ]);
        }
        catch (Exception exception) when (exception is FormatException or InvalidOperationException)
        {
            // An observer must not throw.
        }
    }

    private static double? Ms(TimeSpan? span) => span is { } s ? Math.Round(s.TotalMilliseconds, 3) : null;
}
