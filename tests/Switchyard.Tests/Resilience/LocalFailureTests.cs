using System.Net.Sockets;
using Switchyard.Errors;
using Switchyard.Models;
using Switchyard.OpenAI;
using Switchyard.Lanes.MessagesToChat;
using Switchyard.Providers;
using Switchyard.Resilience;
using Switchyard.Routing;

namespace Switchyard.Tests.Resilience;

/// <summary>
/// Connects that fail for lack of local resources (out of file descriptors or ports) say nothing about the upstream:
/// the request fails as overloaded, the endpoint's circuit stays closed.
/// </summary>
public sealed class LocalFailureTests
{
    [Theory]
    [InlineData(SocketError.TooManyOpenSockets)]
    [InlineData(SocketError.AddressNotAvailable)]
    [InlineData(SocketError.AddressAlreadyInUse)]
    public async Task A_local_connect_failure_is_overloaded_and_leaves_the_circuit_closed(SocketError error)
    {
        var (executor, endpoint, connects) = Setup(error);

        for (var i = 0; i < 3; i++)
        {
            var failure = await Assert.ThrowsAsync<GatewayException>(() => CallAsync(executor));
            Assert.Equal(GatewayErrorKind.Overloaded, failure.Kind);
            Assert.Contains("Switchyard is overloaded", failure.Message);
            Assert.True(FailureClassifier.IsLocalFailure(failure));
        }

        Assert.Equal(CircuitState.Closed, endpoint.Breaker.State);
        Assert.Equal(0, endpoint.Breaker.ConsecutiveFailures);
        // Not retried: a retry would need the same missing resources.
        Assert.Equal(3, connects());
    }

    [Fact]
    public async Task A_refused_connect_still_counts_against_the_upstream()
    {
        var (executor, endpoint, connects) = Setup(SocketError.ConnectionRefused);

        var failure = await Assert.ThrowsAsync<GatewayException>(() => CallAsync(executor));

        // The refusal opened the circuit (one failure suffices here), yet the only target does not go dark: the retries
        // still reach the upstream, and the client gets what happened there, without the upstream's address.
        Assert.Equal(CircuitState.Open, endpoint.Breaker.State);
        Assert.Equal(GatewayErrorKind.BadGateway, failure.Kind);
        Assert.Contains("could not be reached (connection refused)", failure.Message);
        Assert.DoesNotContain("127.0.0.1", failure.Message);
        Assert.False(FailureClassifier.IsLocalFailure(failure));
        Assert.Equal(3, connects());
    }

    [Fact]
    public void Only_local_socket_errors_are_local()
    {
        Assert.True(UpstreamErrors.IsLocalResourceFailure(
            new HttpRequestException("Too many open files (127.0.0.1:80)", new SocketException((int)SocketError.TooManyOpenSockets))));
        Assert.False(UpstreamErrors.IsLocalResourceFailure(
            new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.False(UpstreamErrors.IsLocalResourceFailure(new HttpRequestException("An error occurred while sending the request.")));
    }

    private static (UpstreamExecutor Executor, ProviderEndpoint Endpoint, Func<int> Connects) Setup(SocketError error)
    {
        var connects = 0;
        // A real HttpClient stack whose connect fails the way the kernel would make it fail.
        var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = (_, _) =>
            {
                Interlocked.Increment(ref connects);
                throw new SocketException((int)error);
            },
        });
        var provider = new ProviderOptions { BaseUrl = new Uri("http://127.0.0.1:9/"), ApiKey = "sk-test" };
        var registry = new ProviderRegistry(_ => http, provider, [], new CircuitBreakerOptions { ConsecutiveFailures = 1, FailureRatio = 0 });
        var executor = new UpstreamExecutor(
            new ResilienceOptions { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2) }, registry);
        return (executor, registry.Endpoints(null)[0], () => Volatile.Read(ref connects));
    }

    private static Task<UpstreamResponse> CallAsync(UpstreamExecutor executor)
    {
        var catalog = new ModelCatalog(new ModelCatalogOptions());
        var target = new ResolvedTarget(executor.Providers.Default, catalog.Resolve("deepseek-v4-flash"));
        var request = new ChatCompletionRequest
        {
            Model = "deepseek-v4-flash",
            Messages = [new ChatMessage { Role = "user", Content = "hi" }],
        };
        return executor.ExecuteAsync([target], (attempt, ct) => attempt.Endpoint.Client.SendAsync(MessagesToChatLane.Serialize(request, false, false), ct), new AttemptReport(), CancellationToken.None);
    }
}
