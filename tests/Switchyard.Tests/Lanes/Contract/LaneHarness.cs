using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Accounting;
using Switchyard.Platform;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Lanes.Contract;

/// <summary>
/// The real gateway in front of both fakes: <c>deepseek-*</c> models are served by <see cref="FakeDeepSeek"/> (OpenAI
/// format), <c>claude-sonnet-4-5</c> by <see cref="FakeAnthropic"/>, so every lane can be reached with one host.
/// With <paramref name="resilient"/>, each route has a second target of the same format (a fallback) and every target
/// one retry; without, neither, so an upstream failure reaches the client as it is. Upstream idle timeouts are short
/// (<see cref="IdleTimeout"/>), so keep-alive waits longer than them can be tested in a second.
/// </summary>
public sealed class LaneHarness : IAsyncDisposable
{
    /// <summary>The upstream idle timeout of every provider.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMilliseconds(1500);

    private LaneHarness(GatewayHost host, FakeAnthropic anthropic)
    {
        Host = host;
        Anthropic = anthropic;
    }

    /// <summary>The gateway (and its <see cref="FakeDeepSeek"/>).</summary>
    public GatewayHost Host { get; }

    /// <summary>The OpenAI-format fake.</summary>
    public FakeDeepSeek DeepSeek => Host.Upstream;

    /// <summary>The Anthropic-format fake.</summary>
    public FakeAnthropic Anthropic { get; }

    /// <summary>Starts the fakes and the gateway.</summary>
    public static async Task<LaneHarness> StartAsync(bool resilient)
    {
        var anthropic = await FakeAnthropic.StartAsync();
        var idle = IdleTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        var settings = anthropic.GatewaySettings();
        settings["Switchyard:Upstream:IdleTimeout"] = idle;
        settings["Switchyard:Providers:0:IdleTimeout"] = idle;
        if (resilient)
        {
            settings["Switchyard:Resilience:MaxRetries"] = "1";
            settings["Switchyard:Resilience:BaseDelay"] = "00:00:00.001";
            settings["Switchyard:Resilience:MaxDelay"] = "00:00:00.002";
            settings["Switchyard:Providers:1:Name"] = "anthropic-backup";
            settings["Switchyard:Providers:1:Kind"] = "Anthropic";
            settings["Switchyard:Providers:1:BaseUrl"] = anthropic.BaseUrl.ToString();
            settings["Switchyard:Providers:1:ApiKey"] = anthropic.ApiKey;
            settings["Switchyard:Providers:1:IdleTimeout"] = idle;
            settings["Switchyard:Routes:0:Name"] = "claude";
            settings["Switchyard:Routes:0:Models:0"] = "claude-*";
            settings["Switchyard:Routes:0:Targets:0:Provider"] = "anthropic";
            settings["Switchyard:Routes:0:Targets:0:Model"] = "claude-sonnet-4-5";
            settings["Switchyard:Routes:0:Targets:1:Provider"] = "anthropic-backup";
            settings["Switchyard:Routes:0:Targets:1:Model"] = "claude-sonnet-4-5";
        }

        GatewayHost host;
        try
        {
            host = await GatewayHost.StartAsync(settings, withUpstream: resilient ? AddOpenAIBackup : null);
        }
        catch
        {
            await anthropic.DisposeAsync();
            throw;
        }

        return new LaneHarness(host, anthropic);
    }

    private static void AddOpenAIBackup(FakeDeepSeek deepSeek, IDictionary<string, string?> settings)
    {
        settings["Switchyard:Providers:2:Name"] = "deepseek-backup";
        settings["Switchyard:Providers:2:BaseUrl"] = deepSeek.BaseUrl.ToString();
        settings["Switchyard:Providers:2:ApiKey"] = deepSeek.ApiKey;
        settings["Switchyard:Providers:2:IdleTimeout"] = IdleTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        settings["Switchyard:Routes:1:Name"] = "deepseek";
        settings["Switchyard:Routes:1:Models:0"] = "deepseek-*";
        settings["Switchyard:Routes:1:Targets:0:Provider"] = "deepseek";
        settings["Switchyard:Routes:1:Targets:1:Provider"] = "deepseek-backup";
    }

    /// <summary>Forgets replies that a failed test left queued.</summary>
    public void Reset()
    {
        DeepSeek.ClearReplies();
        Anthropic.ClearReplies();
    }

    /// <summary>The ledger record of the request answered with <paramref name="requestId"/>.</summary>
    public async Task<RequestRecord> LedgerAsync(string requestId)
    {
        var ledger = Host.Services.GetRequiredService<PlatformRuntime>().Ledger;
        await ledger.FlushAsync();
        return await ledger.Store.GetAsync(requestId) ?? throw new InvalidOperationException($"No ledger record for {requestId}.");
    }

    /// <summary>POSTs <paramref name="body"/> and reads the whole answer.</summary>
    public async Task<LaneAnswer> SendAsync(LaneCase lane, string body, CancellationToken cancellationToken = default)
    {
        using var request = Request(lane, body);
        using var response = await Host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in response.Headers) headers[k] = string.Join(",", v);
        foreach (var (k, v) in response.Content.Headers) headers[k] = string.Join(",", v);
        return new LaneAnswer(response.StatusCode, headers, text);
    }

    /// <summary>The request message for <paramref name="lane"/>.</summary>
    public static HttpRequestMessage Request(LaneCase lane, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, lane.Path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (lane.Client == Switchyard.Lanes.ClientFormat.Anthropic)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", "sk-client-test");
            request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        }
        else
        {
            request.Headers.TryAddWithoutValidation("authorization", "Bearer sk-client-test");
        }

        return request;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Anthropic.DisposeAsync();
    }
}

/// <summary>A whole answer as the client read it.</summary>
public sealed record LaneAnswer(HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>A header, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
