using System.Net;
using System.Text;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Infrastructure;

/// <summary>A raw answer with its body bytes.</summary>
internal sealed record BytesAnswer(HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>A gateway whose catalog has <c>claude-sonnet-4-5</c> served by a <see cref="FakeAnthropic"/>.</summary>
internal sealed class AnthropicStack : IAsyncDisposable
{
    private AnthropicStack(FakeAnthropic anthropic, GatewayHost host)
    {
        Anthropic = anthropic;
        Host = host;
    }

    public FakeAnthropic Anthropic { get; }

    public GatewayHost Host { get; }

    public static async Task<AnthropicStack> StartAsync(string? upstreamIdModel = null, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var anthropic = await FakeAnthropic.StartAsync();
        var settings = anthropic.GatewaySettings(upstreamIdModel);
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }

        try
        {
            return new AnthropicStack(anthropic, await GatewayHost.StartAsync(settings));
        }
        catch
        {
            await anthropic.DisposeAsync();
            throw;
        }
    }

    /// <summary>POSTs exactly <paramref name="body"/> with the given headers (x-api-key of the client by default).</summary>
    public async Task<BytesAnswer> PostBytesAsync(string path, byte[] body, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("content-type", "application/json");
        var h = headers ?? new Dictionary<string, string> { ["x-api-key"] = "sk-client-test", ["anthropic-version"] = "2023-06-01" };
        foreach (var (k, v) in h)
        {
            request.Headers.TryAddWithoutValidation(k, v);
        }

        using var response = await Host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in response.Headers) all[k] = string.Join(",", v);
        foreach (var (k, v) in response.Content.Headers) all[k] = string.Join(",", v);
        return new BytesAnswer(response.StatusCode, all, bytes);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Anthropic.DisposeAsync();
    }
}
