using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Switchyard.Providers;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Providers;

/// <summary>The upstream HTTP version setting: HTTP/2 multiplexing (h2c with prior knowledge over http://).</summary>
public sealed class UpstreamHttpVersionTests
{
    [Fact]
    public async Task Streams_go_over_http2_prior_knowledge_when_the_provider_says_Http2()
    {
        await using var host = await GatewayHost.StartAsync(
            new Dictionary<string, string?> { ["Switchyard:Upstream:HttpVersion"] = "Http2" }, upstreamProtocols: HttpProtocols.Http2);
        for (var i = 0; i < 3; i++)
        {
            host.Upstream.Enqueue(new FakeReply { Content = "over h2", ChunkSize = 3 });
        }

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PostJsonAsync(host, "/v1/messages", SimpleBody(stream: true))));

        foreach (var answer in answers)
        {
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal("over h2", BlocksOf(AssertWellFormedStream(ParseSse(answer.Body))).Single().Text);
        }

        Assert.All(host.Upstream.Requests, r => Assert.Equal("HTTP/2", r.Protocol));
    }

    [Fact]
    public async Task Plain_http_upstreams_get_http11_by_default()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "over h1" });

        var answer = await PostJsonAsync(host, "/v1/messages", SimpleBody(stream: true));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("HTTP/1.1", host.Upstream.LastRequest.Protocol);
    }

    [Fact]
    public async Task Default_http_setting_cannot_reach_an_http2_only_upstream()
    {
        // Proves the fake really is HTTP/2-only, so the first test's pass means h2c was used.
        await using var host = await GatewayHost.StartAsync(upstreamProtocols: HttpProtocols.Http2);

        var answer = await PostJsonAsync(host, "/v1/messages", SimpleBody(stream: true));

        Assert.NotEqual(HttpStatusCode.OK, answer.Status);
    }

    [Theory]
    [InlineData(UpstreamHttpVersion.Auto, "https://api.example.com", "2.0", HttpVersionPolicy.RequestVersionOrLower)]
    [InlineData(UpstreamHttpVersion.Auto, "http://127.0.0.1:8000", "1.1", HttpVersionPolicy.RequestVersionOrLower)]
    [InlineData(UpstreamHttpVersion.Http11, "https://api.example.com", "1.1", HttpVersionPolicy.RequestVersionOrLower)]
    [InlineData(UpstreamHttpVersion.Http2, "http://127.0.0.1:8000", "2.0", HttpVersionPolicy.RequestVersionExact)]
    [InlineData(UpstreamHttpVersion.Http2, "https://api.example.com", "2.0", HttpVersionPolicy.RequestVersionExact)]
    public void Version_and_policy_follow_the_setting_and_scheme(UpstreamHttpVersion setting, string baseUrl, string version, HttpVersionPolicy policy)
    {
        var options = new ProviderOptions { BaseUrl = new Uri(baseUrl), HttpVersion = setting };
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseUrl, "/chat/completions"));

        UpstreamHttp.ApplyVersion(message, options);

        Assert.Equal(Version.Parse(version), message.Version);
        Assert.Equal(policy, message.VersionPolicy);
    }
}
