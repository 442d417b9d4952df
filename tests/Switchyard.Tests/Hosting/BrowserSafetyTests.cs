using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Switchyard.Hosting;
using Switchyard.Tests.Infrastructure;
using Switchyard.Tests.Robustness;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Hosting;

/// <summary>Web pages cannot use the gateway through a visitor's browser unless their origin is configured.</summary>
public sealed class BrowserSafetyTests
{
    private const string MessagesBody = """{"model":"claude-sonnet-4-5","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""";
    private const string ChatBody = """{"model":"deepseek-v4-flash","messages":[{"role":"user","content":"hi"}]}""";
    private const string ResponsesBody = """{"model":"deepseek-v4-flash","input":"hi"}""";

    private static async Task<RawAnswer> PostAsync(
        GatewayHost host, string path, string? contentType = "application/json", string? origin = null, string? hostHeader = null, string key = "sk-any",
        string? secFetchSite = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(
                path.Contains("chat", StringComparison.Ordinal) ? ChatBody : path.Contains("responses", StringComparison.Ordinal) ? ResponsesBody : MessagesBody)),
        };
        if (contentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        request.Headers.TryAddWithoutValidation("x-api-key", key);
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        if (hostHeader is not null)
        {
            request.Headers.Host = hostHeader;
        }

        if (secFetchSite is not null)
        {
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", secFetchSite);
        }

        return await SendAsync(host.Http, request);
    }

    /// <summary>Served (200), or refused with <paramref name="expected"/> in the caller's format and a message that says what to change.</summary>
    private static void AssertServedOrRefused(RawAnswer answer, string path, HttpStatusCode expected, string remedy)
    {
        if (expected == HttpStatusCode.OK)
        {
            Assert.True(answer.Status == HttpStatusCode.OK, $"{path}: {answer.Body}");
            return;
        }

        CallerFormats.AssertError(answer, path, expected);
        Assert.Contains(remedy, answer.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/messages")]
    [InlineData("/anthropic/v1/messages/count_tokens")]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/responses")]
    [InlineData("/responses")]
    public async Task A_foreign_origin_is_refused_and_the_own_origin_served(string path)
    {
        await using var host = await GatewayHost.StartAsync();
        var foreign = await PostAsync(host, path, origin: "https://evil.example");
        CallerFormats.AssertError(foreign, path, HttpStatusCode.Forbidden);
        Assert.Contains("Switchyard:BrowserSafety:AllowedOrigins", foreign.Body, StringComparison.Ordinal);
        Assert.Null(foreign.Header("access-control-allow-origin"));
        CallerFormats.AssertError(await PostAsync(host, path, origin: "null"), path, HttpStatusCode.Forbidden);
        Assert.Empty(host.Upstream.Requests);

        var own = await PostAsync(host, path, origin: host.BaseUrl.GetLeftPart(UriPartial.Authority));
        Assert.True(own.Status == HttpStatusCode.OK, own.Body);

        // A same-origin page with Referrer-Policy: no-referrer posts with Origin: null; the browser's Sec-Fetch-Site says where it came from.
        var vouched = await PostAsync(host, path, origin: "null", secFetchSite: "same-origin");
        Assert.True(vouched.Status == HttpStatusCode.OK, vouched.Body);
        CallerFormats.AssertError(await PostAsync(host, path, origin: "null", secFetchSite: "cross-site"), path, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_configured_origin_gets_cors_and_its_preflight_answered()
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?>
        {
            ["Switchyard:BrowserSafety:AllowedOrigins:0"] = "https://app.example.com/",
        });
        using (var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/messages"))
        {
            preflight.Headers.Add("Origin", "https://app.example.com");
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            preflight.Headers.Add("Access-Control-Request-Headers", "content-type, x-api-key, anthropic-version");
            var answer = await SendAsync(host.Http, preflight);
            Assert.Equal(HttpStatusCode.NoContent, answer.Status);
            Assert.Equal("https://app.example.com", answer.Header("access-control-allow-origin"));
            Assert.Contains("POST", answer.Header("access-control-allow-methods"), StringComparison.Ordinal);
            Assert.Equal("content-type, x-api-key, anthropic-version", answer.Header("access-control-allow-headers"));
            Assert.Contains("Origin", answer.Header("vary"), StringComparison.Ordinal);
        }

        var served = await PostAsync(host, "/v1/messages", origin: "https://app.example.com");
        Assert.Equal(HttpStatusCode.OK, served.Status);
        Assert.Equal("https://app.example.com", served.Header("access-control-allow-origin"));
        Assert.Contains("request-id", served.Header("access-control-expose-headers"), StringComparison.Ordinal);

        using var other = new HttpRequestMessage(HttpMethod.Options, "/v1/messages");
        other.Headers.Add("Origin", "https://other.example.com");
        other.Headers.Add("Access-Control-Request-Method", "POST");
        var refused = await SendAsync(host.Http, other);
        CallerFormats.AssertError(refused, "/v1/messages", HttpStatusCode.Forbidden);
        Assert.Null(refused.Header("access-control-allow-origin"));
    }

    [Fact]
    public async Task Without_configuration_there_is_no_cors_at_all()
    {
        await using var host = await GatewayHost.StartAsync();
        var served = await PostAsync(host, "/v1/messages");
        Assert.Equal(HttpStatusCode.OK, served.Status);
        Assert.Null(served.Header("access-control-allow-origin"));
    }

    [Theory]
    [InlineData("evil.example", HttpStatusCode.Forbidden)]
    [InlineData("evil.example:8080", HttpStatusCode.Forbidden)]
    [InlineData("10.1.2.3", HttpStatusCode.Forbidden)]
    [InlineData("127.0.0.2", HttpStatusCode.OK)]
    [InlineData("localhost", HttpStatusCode.OK)]
    [InlineData("app.localhost", HttpStatusCode.OK)]
    [InlineData("127.0.0.1", HttpStatusCode.OK)]
    [InlineData("[::1]", HttpStatusCode.OK)]
    public async Task In_open_mode_only_loopback_hosts_are_answered(string hostHeader, HttpStatusCode expected)
    {
        await using var host = await GatewayHost.StartAsync();
        foreach (var path in new[] { "/v1/messages", "/v1/chat/completions", "/v1/responses" })
        {
            AssertServedOrRefused(await PostAsync(host, path, hostHeader: hostHeader), path, expected, "Switchyard:BrowserSafety:AllowedHosts");
        }
    }

    [Fact]
    public async Task Configured_hosts_and_keyed_mode_accept_other_host_names()
    {
        await using (var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:BrowserSafety:AllowedHosts:0"] = "gateway.internal" }))
        {
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(host, "/v1/messages", hostHeader: "gateway.internal")).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(host, "/v1/messages", hostHeader: "other.internal")).Status);
        }

        await using (var keyed = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:Auth:Keys:0"] = "sk-real-key" }))
        {
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(keyed, "/v1/messages", hostHeader: "gateway.example.com", key: "sk-real-key")).Status);
        }
    }

    [Theory]
    [InlineData("text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("text/plain;charset=UTF-8", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("multipart/form-data; boundary=x", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json; charset=utf-16", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("not a media type", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json", HttpStatusCode.OK)]
    [InlineData("Application/JSON; charset=UTF-8", HttpStatusCode.OK)]
    [InlineData("application/vnd.api+json", HttpStatusCode.OK)]
    [InlineData(null, HttpStatusCode.OK)]
    public async Task Bodies_declared_as_anything_but_json_are_415_naming_the_header(string? contentType, HttpStatusCode expected)
    {
        await using var host = await GatewayHost.StartAsync();
        foreach (var path in new[] { "/v1/messages", "/v1/chat/completions", "/v1/responses" })
        {
            AssertServedOrRefused(await PostAsync(host, path, contentType), path, expected, "content-type: application/json");
        }
    }

    [Theory]
    [InlineData("app.example.com")]
    [InlineData("https://app.example.com/path")]
    [InlineData("ftp://app.example.com")]
    public void A_malformed_allowed_origin_stops_start_up(string origin)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SwitchyardApp.Build([], new Dictionary<string, string?>
        {
            ["Switchyard:BrowserSafety:AllowedOrigins:0"] = origin,
            ["Switchyard:DataDirectory"] = Path.GetTempPath(),
        }));
        Assert.Contains("Switchyard:BrowserSafety:AllowedOrigins", error.Message, StringComparison.Ordinal);
    }
}
