using System.Net;
using Switchyard.Resilience;
using Switchyard.Tests.Fakes;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Resilience;

/// <summary>The circuit breaker opens, half-opens, and closes or opens again.</summary>
public sealed class CircuitBreakerTests
{
    [Fact]
    public void Opens_after_consecutive_failures_and_half_opens_after_the_break()
    {
        var clock = new ManualClock();
        var breaker = new CircuitBreaker(new CircuitBreakerOptions { ConsecutiveFailures = 3, FailureRatio = 0, BreakDuration = TimeSpan.FromSeconds(30) }, clock);
        breaker.RecordFailure();
        breaker.RecordFailure();
        Assert.Equal(CircuitState.Closed, breaker.State);
        breaker.RecordFailure();
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.False(breaker.TryAcquire());

        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        Assert.True(breaker.TryAcquire());
        Assert.False(breaker.TryAcquire());
        breaker.RecordFailure();
        Assert.Equal(CircuitState.Open, breaker.State);

        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.True(breaker.TryAcquire());
        breaker.RecordSuccess();
        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.True(breaker.TryAcquire());
    }

    [Fact]
    public void Opens_on_a_failure_ratio()
    {
        var breaker = new CircuitBreaker(new CircuitBreakerOptions { ConsecutiveFailures = 0, FailureRatio = 0.5, MinimumThroughput = 4 }, new ManualClock());
        breaker.RecordSuccess();
        breaker.RecordFailure();
        breaker.RecordSuccess();
        Assert.Equal(CircuitState.Closed, breaker.State);
        breaker.RecordFailure();
        Assert.Equal(CircuitState.Open, breaker.State);
    }

    [Fact]
    public async Task An_open_circuit_sends_requests_straight_to_the_fallback()
    {
        await using var p = await TwoProviders.StartAsync(new Dictionary<string, string?>
        {
            ["Switchyard:Resilience:MaxRetries"] = "0",
            ["Switchyard:Resilience:CircuitBreaker:ConsecutiveFailures"] = "2",
            ["Switchyard:Resilience:CircuitBreaker:BreakDuration"] = "00:00:01",
        });
        p.Primary.Enqueue(FakeReply.Error(500));
        p.Primary.Enqueue(FakeReply.Error(500));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(p.Host, "/v1/messages", SimpleBody("hi"))).Status);
        }

        // Two failures opened the circuit: the third request never reached the primary.
        Assert.Equal(2, p.Primary.Requests.Count);
        Assert.Equal(3, p.Backup.Requests.Count);
        var ready = await p.ReadyAsync();
        Assert.Equal("open", ready["providers"]!["deepseek"]!["endpoints"]![0]!["circuit"]!.GetValue<string>());

        // After the break, one probe goes to the primary; its success closes the circuit.
        await Task.Delay(1100);
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(p.Host, "/v1/messages", SimpleBody("hi"))).Status);
        Assert.Equal(3, p.Primary.Requests.Count);
        ready = await p.ReadyAsync();
        Assert.Equal("closed", ready["providers"]!["deepseek"]!["endpoints"]![0]!["circuit"]!.GetValue<string>());
    }
}
