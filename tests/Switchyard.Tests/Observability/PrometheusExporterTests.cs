using System.Diagnostics.Metrics;
using Switchyard.Observability;

namespace Switchyard.Tests.Observability;

/// <summary>The Prometheus text exporter on its own: series identity and counts.</summary>
public sealed class PrometheusExporterTests
{
    [Fact]
    public void Tags_in_any_order_and_of_any_type_feed_one_series_each()
    {
        using var meter = new Meter("switchyard.test." + Guid.NewGuid().ToString("N"));
        using var exporter = new PrometheusExporter(meter);
        var counter = meter.CreateCounter<long>("test.requests");
        var histogram = meter.CreateHistogram<double>("test.duration", "s");
        for (var i = 0; i < 1000; i++)
        {
            counter.Add(1, new("model", "a"), new("status", 200));
            counter.Add(2, new("status", 200), new("model", "a"));
            counter.Add(1, new("model", "b"), new("status", 500));
            counter.Add(1, new("model", new string('a', 1)), new("status", "200"));
            histogram.Record(0.02, new KeyValuePair<string, object?>("stream", i % 2 == 0));
        }

        var lines = exporter.Render().Split('\n');
        Assert.Contains("test_requests_total{model=\"a\",status=\"200\"} 4000", lines);
        Assert.Contains("test_requests_total{model=\"b\",status=\"500\"} 1000", lines);
        Assert.Single(lines, line => line.StartsWith("test_requests_total{model=\"a\"", StringComparison.Ordinal));
        Assert.Contains("test_duration_seconds_count{stream=\"true\"} 500", lines);
        Assert.Contains("test_duration_seconds_bucket{stream=\"false\",le=\"0.025\"} 500", lines);
    }
}
