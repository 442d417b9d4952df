using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Providers;
using Switchyard.Resilience;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Resilience;

/// <summary>
/// The default deployment has one upstream. With the default breaker and retry settings, no burst of failures makes
/// it dark: a 429 is backpressure, one request's retries count once, and when the circuit is open the only target
/// is tried anyway, so the client gets the upstream's real answer and a recovered upstream is served at once.
/// </summary>
public sealed class SingleUpstreamBreakerTests
{
    private static Task<GatewayHost> StartAsync() => GatewayHost.StartAsync(new Dictionary<string, string?>
    {
        // The defaults of ResilienceOptions, with short backoffs.
        ["Switchyard:Resilience:MaxRetries"] = "2",
        ["Switchyard:Resilience:BaseDelay"] = "00:00:00.005",
        ["Switchyard:Resilience:MaxDelay"] = "00:00:00.010",
        ["Switchyard:Resilience:CircuitBreaker:ConsecutiveFailures"] = "5",
        ["Switchyard:Resilience:CircuitBreaker:FailureRatio"] = "0.5",
        ["Switchyard:Resilience:CircuitBreaker:BreakDuration"] = "00:00:30",
    });

    private static CircuitBreaker Breaker(GatewayHost host) =>
        host.Services.GetRequiredService<ProviderRegistry>().Endpoints(null)[0].Breaker;

    [Fact]
    public async Task After_two_failing_requests_the_next_healthy_one_is_served_and_the_failures_were_500s()
    {
        await using var host = await StartAsync();
        for (var i = 0; i < 6; i++)
        {
            host.Upstream.Enqueue(FakeReply.Error(500));
        }

        for (var i = 0; i < 2; i++)
        {
            var failed = await PostJsonAsync(host, "/v1/messages", SimpleBody());
            Assert.Equal(HttpStatusCode.InternalServerError, failed.Status);
            AssertErrorEnvelope(failed, "api_error");
        }

        Assert.Equal(6, host.Upstream.Requests.Count);
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(host, "/v1/messages", SimpleBody())).Status);
        Assert.Equal(CircuitState.Closed, Breaker(host).State);
    }

    [Fact]
    public async Task A_burst_of_429s_never_opens_the_breaker()
    {
        await using var host = await StartAsync();
        for (var i = 0; i < 30; i++)
        {
            host.Upstream.Enqueue(FakeReply.Error(429));
        }

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => PostJsonAsync(host, "/v1/messages", SimpleBody())));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.TooManyRequests, a.Status));
        Assert.Equal(CircuitState.Closed, Breaker(host).State);
        Assert.Equal(0, Breaker(host).ConsecutiveFailures);
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(host, "/v1/messages", SimpleBody())).Status);
    }

    [Fact]
    public async Task After_a_503_burst_opens_the_circuit_a_recovered_upstream_serves_the_next_request_at_once()
    {
        await using var host = await StartAsync();
        for (var i = 0; i < 18; i++)
        {
            host.Upstream.Enqueue(FakeReply.Error(503));
        }

        var failures = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostJsonAsync(host, "/v1/messages", SimpleBody())));
        Assert.All(failures, f => Assert.Equal((HttpStatusCode)529, f.Status));
        Assert.Equal(CircuitState.Open, Breaker(host).State);

        // The upstream has recovered (nothing more is queued): the open circuit does not stand in the way.
        var started = DateTime.UtcNow;
        var served = await PostJsonAsync(host, "/v1/messages", SimpleBody());
        Assert.Equal(HttpStatusCode.OK, served.Status);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(1));
        Assert.Equal(CircuitState.Closed, Breaker(host).State);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_timeout_after_the_upstream_accepted_the_request_is_not_retried(bool stream)
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?>
        {
            ["Switchyard:Resilience:MaxRetries"] = "2",
            ["Switchyard:Resilience:BaseDelay"] = "00:00:00.005",
            ["Switchyard:Upstream:IdleTimeout"] = "00:00:00.500",
        });
        // Accepted (headers, one keep-alive), then silent for longer than the idle timeout.
        host.Upstream.Enqueue(new FakeReply { KeepAliveCount = 1, ChunkDelay = TimeSpan.FromSeconds(3) });

        var answer = await PostJsonAsync(host, "/v1/messages", SimpleBody(stream: stream));

        if (stream)
        {
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Contains("timeout_error", answer.Body, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(HttpStatusCode.GatewayTimeout, answer.Status);
            AssertErrorEnvelope(answer, "timeout_error");
        }

        Assert.Single(host.Upstream.Requests);
    }
}
