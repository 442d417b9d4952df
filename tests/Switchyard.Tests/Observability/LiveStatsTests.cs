using Microsoft.Extensions.DependencyInjection;
using Switchyard.Accounting;
using Switchyard.Observability;

namespace Switchyard.Tests.Observability;

/// <summary>The dashboard's live figures stay bounded whatever names clients send.</summary>
public sealed class LiveStatsTests
{
    [Fact]
    public void Refused_requests_with_client_chosen_model_names_share_one_unknown_entry()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var stats = new LiveStats(new GatewayTelemetry(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        for (var i = 0; i < 1_000; i++)
        {
            stats.Add(new RequestRecord { RequestId = $"req_{i}", RequestedModel = $"no-such-model-{i}", ErrorType = "invalid_request_error" }, null);
        }

        stats.Add(new RequestRecord { RequestId = "req_served", RequestedModel = "claude-sonnet-4-5", ServedModel = "deepseek-v4-flash" }, null);

        var models = stats.Snapshot().Models;
        Assert.Equal(["unknown", "deepseek-v4-flash"], models.Select(m => m.Model));
        Assert.Equal(1_000, models[0].Requests);
    }
}
