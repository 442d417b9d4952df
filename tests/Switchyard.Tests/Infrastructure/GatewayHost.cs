using Microsoft.AspNetCore.Builder;
using Anthropic;
using Switchyard.Hosting;
using Switchyard.Tests.Fakes;

namespace Switchyard.Tests.Infrastructure;

/// <summary>The real Switchyard server on 127.0.0.1 (free port), in front of a <see cref="FakeDeepSeek"/>.</summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDir;

    private GatewayHost(WebApplication app, FakeDeepSeek upstream, string dataDir)
    {
        _app = app;
        Upstream = upstream;
        _dataDir = dataDir;
        BaseUrl = new Uri(SwitchyardApp.Addresses(app)[0]);
        Http = new HttpClient { BaseAddress = BaseUrl };
    }

    /// <summary>The fake DeepSeek behind the gateway.</summary>
    public FakeDeepSeek Upstream { get; }

    /// <summary>http://127.0.0.1:port</summary>
    public Uri BaseUrl { get; }

    /// <summary>A raw client for the gateway.</summary>
    public HttpClient Http { get; }

    /// <summary>The gateway's services (its ledger, for instance).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a fake upstream and the gateway; <paramref name="settings"/> override configuration (then
    /// <paramref name="withUpstream"/>, which knows the fake's address), then <paramref name="configure"/> may add
    /// (reloadable) sources. Retries, stream continuation and circuit breakers are
    /// off unless <paramref name="settings"/> turn them on, so a scripted upstream failure reaches the client as it is.
    /// </summary>
    public static async Task<GatewayHost> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null, Action<Microsoft.Extensions.Configuration.IConfigurationBuilder>? configure = null,
        Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols upstreamProtocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1,
        Action<FakeDeepSeek, IDictionary<string, string?>>? withUpstream = null)
    {
        var upstream = await FakeDeepSeek.StartAsync(protocols: upstreamProtocols);
        var dataDir = Directory.CreateTempSubdirectory("switchyard-test-").FullName;
        var overrides = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Switchyard:Upstream:BaseUrl"] = upstream.BaseUrl.ToString(),
            ["Switchyard:Upstream:ApiKey"] = upstream.ApiKey,
            ["Switchyard:DataDirectory"] = dataDir,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Switchyard:Resilience:MaxRetries"] = "0",
            ["Switchyard:Resilience:MaxContinuations"] = "0",
            ["Switchyard:Resilience:CircuitBreaker:ConsecutiveFailures"] = "0",
            ["Switchyard:Resilience:CircuitBreaker:FailureRatio"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }

        withUpstream?.Invoke(upstream, overrides);

        var app = SwitchyardApp.Build([], overrides, configure);
        await SwitchyardApp.StartAsync(app);
        return new GatewayHost(app, upstream, dataDir);
    }

    /// <summary>An official Anthropic SDK client pointed at <paramref name="prefix"/> ("/anthropic" or "").</summary>
    public AnthropicClient AnthropicClient(string prefix = "/anthropic", int maxRetries = 0) => new()
    {
        BaseUrl = BaseUrl.ToString().TrimEnd('/') + prefix,
        ApiKey = "sk-client-test",
        MaxRetries = maxRetries,
    };

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Upstream.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
