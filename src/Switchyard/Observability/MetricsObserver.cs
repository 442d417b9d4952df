using System.Globalization;
using Switchyard.Accounting;

namespace Switchyard.Observability;

/// <summary>Turns every finished request into measurements on <see cref="GatewayTelemetry"/> and into the live figures of <see cref="LiveStats"/>.</summary>
internal sealed class MetricsObserver(GatewayTelemetry telemetry, LiveStats stats) : IRequestObserver
{
    public void OnCompleted(RequestRecord record)
    {
        var upstream = record.UpstreamTime ?? RequestTelemetryScope.Current?.UpstreamTime;
        // Only served models label series: a requested name is the client's free text (a typo per request would be
        // a new series per request).
        var model = record.ServedModel ?? "unknown";
        var status = record.Status.ToString(CultureInfo.InvariantCulture);
        telemetry.Requests.Add(1,
            new("endpoint", record.Endpoint), new("format", record.Format), new("model", model),
            new("provider", record.Provider ?? "none"), new("status", status));
        if (record.ErrorType is { } error)
        {
            telemetry.Errors.Add(1, new("endpoint", record.Endpoint), new("model", model), new("error_type", error));
        }

        AddTokens(model, "input", record.InputTokens);
        AddTokens(model, "cache_hit", record.CacheHitTokens);
        AddTokens(model, "cache_miss", record.CacheMissTokens);
        AddTokens(model, "output", record.OutputTokens);
        AddTokens(model, "reasoning", record.ReasoningTokens);
        if (record.CostUsd > 0)
        {
            telemetry.Cost.Add((double)record.CostUsd, new KeyValuePair<string, object?>("model", model));
        }

        var stream = record.Stream ? "true" : "false";
        if (record.Latency is { } latency)
        {
            telemetry.Duration.Record(latency.TotalSeconds, new("endpoint", record.Endpoint), new("model", model), new("stream", stream));
            if (upstream is { } up)
            {
                telemetry.UpstreamDuration.Record(up.TotalSeconds, new("provider", record.Provider ?? "none"), new("model", model));
                telemetry.Overhead.Record(Math.Max(0, (latency - up).TotalSeconds), new("endpoint", record.Endpoint), new("stream", stream));
            }
        }

        if (record.TimeToFirstToken is { } ttft && record.ErrorType is null && record.Endpoint != "count_tokens")
        {
            telemetry.TimeToFirstToken.Record(ttft.TotalSeconds, new("endpoint", record.Endpoint), new("model", model), new("stream", stream));
        }

        stats.Add(record, upstream);
    }

    private void AddTokens(string model, string kind, int count)
    {
        if (count > 0)
        {
            telemetry.Tokens.Add(count, new("model", model), new("kind", kind));
        }
    }
}
