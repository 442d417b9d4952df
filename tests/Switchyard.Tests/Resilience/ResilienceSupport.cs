using System.Net;
using System.Net.Sockets;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Resilience;

/// <summary>A gateway in front of the default fake DeepSeek plus a second fake as provider <c>backup</c>.</summary>
internal sealed class TwoProviders : IAsyncDisposable
{
    private TwoProviders(GatewayHost host, FakeDeepSeek backup)
    {
        Host = host;
        Backup = backup;
    }

    public GatewayHost Host { get; }

    public FakeDeepSeek Primary => Host.Upstream;

    public FakeDeepSeek Backup { get; }

    /// <summary>Fast resilience settings: 2 retries, 50 ms base delay, circuit breakers off.</summary>
    public static Dictionary<string, string?> FastResilience() => new()
    {
        ["Switchyard:Resilience:MaxRetries"] = "2",
        ["Switchyard:Resilience:MaxContinuations"] = "2",
        ["Switchyard:Resilience:BaseDelay"] = "00:00:00.050",
        ["Switchyard:Resilience:MaxDelay"] = "00:00:00.500",
        ["Switchyard:Resilience:RetryBudget"] = "00:00:10",
        ["Switchyard:Admin:Key"] = AdminKey,
    };

    /// <summary>The admin key: <c>/readyz</c> shows circuit states only to it.</summary>
    public const string AdminKey = "resilience-admin-key-0123456789abcdef01234567";

    /// <summary><c>GET /readyz</c> with the admin key: the status, the checks and every endpoint's circuit.</summary>
    public async Task<System.Text.Json.Nodes.JsonNode> ReadyAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/readyz");
        request.Headers.Add("x-api-key", AdminKey);
        using var response = await Host.Http.SendAsync(request);
        return System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>Starts both; the route <c>main</c> sends every model to deepseek, then backup (same model).</summary>
    public static async Task<TwoProviders> StartAsync(Dictionary<string, string?>? extra = null, bool defaultRoute = true)
    {
        var backup = await FakeDeepSeek.StartAsync();
        var settings = FastResilience();
        settings["Switchyard:Providers:0:Name"] = "backup";
        settings["Switchyard:Providers:0:BaseUrl"] = backup.BaseUrl.ToString();
        settings["Switchyard:Providers:0:ApiKey"] = backup.ApiKey;
        if (defaultRoute)
        {
            settings["Switchyard:Routes:0:Name"] = "main";
            settings["Switchyard:Routes:0:Targets:0:Provider"] = "deepseek";
            settings["Switchyard:Routes:0:Targets:1:Provider"] = "backup";
        }

        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        try
        {
            return new TwoProviders(await GatewayHost.StartAsync(settings), backup);
        }
        catch
        {
            await backup.DisposeAsync();
            throw;
        }
    }

    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Backup.DisposeAsync();
    }
}

/// <summary>A clock the test moves.</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
