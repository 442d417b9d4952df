using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Switchyard.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Switchyard.Tests.Robustness;

/// <summary>Bad requests never produce a 5xx, always an error in the caller's format, and never break the server.</summary>
public sealed class BadInputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Generated_bad_inputs_on_every_endpoint_never_cause_5xx_and_always_answer_in_the_callers_format()
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?>
        {
            ["Switchyard:Auth:Keys:0"] = BadInputCorpus.ClientKey,
            ["Switchyard:Admin:Key"] = BadInputCorpus.AdminKey,
        });
        var cases = BadInputCorpus.Generate(seed: 20_261_201);
        var stopwatch = Stopwatch.StartNew();
        using var http = new HttpClient { BaseAddress = host.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        var report = await FuzzRunner.RunAsync(http, cases);
        output.WriteLine($"done in {stopwatch.Elapsed}; upstream requests: {host.Upstream.Requests.Count}");
        foreach (var line in report.Summary())
        {
            output.WriteLine(line);
        }

        // The server is still healthy and serving.
        using (var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        var ok = await GatewayTestSupport.PostJsonAsync(host, "/v1/messages", GatewayTestSupport.SimpleBody("still alive?"),
            new Dictionary<string, string> { ["x-api-key"] = BadInputCorpus.ClientKey });
        Assert.Equal(HttpStatusCode.OK, ok.Status);

        var distinct = report.Failures.GroupBy(f => f.Split(']')[0]).Select(g => $"{g.Count()}× {g.First()}").ToList();
        foreach (var failure in distinct)
        {
            output.WriteLine(failure);
        }

        Assert.True(report.Count == cases.Count, $"{report.Count} of {cases.Count} sent");
        Assert.True(report.Failures.IsEmpty, $"{report.Failures.Count} failures of {cases.Count} requests:\n" + string.Join("\n", distinct.Take(40)));
    }

    /// <summary>
    /// "Every endpoint" stays true as endpoints are added: each route the server maps (the probes and the dashboard's
    /// page aside) is the target of some generated case.
    /// </summary>
    [Fact]
    public async Task The_corpus_reaches_every_mapped_route()
    {
        await using var app = Switchyard.Hosting.SwitchyardApp.Build([], new Dictionary<string, string?>
        {
            ["Switchyard:DataDirectory"] = Path.Combine(Path.GetTempPath(), "switchyard-routes-" + Guid.NewGuid().ToString("N")),
        });
        var patterns = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p => p is not ("/" or "/healthz" or "/readyz" or "/metrics") && !p.Contains("{**", StringComparison.Ordinal))
            .Distinct().ToList();
        Assert.Contains("/v1/responses/{id}/input_items", patterns);
        var paths = BadInputCorpus.Generate(seed: 20_261_201).Select(c => c.Path.Split('?')[0]).ToHashSet(StringComparer.Ordinal);
        var missed = patterns.Where(pattern =>
        {
            var regex = new System.Text.RegularExpressions.Regex(
                "^" + System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Escape(pattern), @"\\\{[^}]*}", "[^/]+") + "$");
            return !paths.Any(regex.IsMatch);
        }).ToList();
        Assert.True(missed.Count == 0, "routes no generated case reaches: " + string.Join(", ", missed));
    }

    [Fact]
    public async Task Body_over_limit_is_413_with_content_length()
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:MaxRequestBodyBytes"] = "65536" });
        var body = GatewayTestSupport.SimpleBody(new string('x', 100_000)).ToJsonString();
        var answer = await GatewayTestSupport.PostJsonAsync(host, "/v1/messages", body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.Status);
        GatewayTestSupport.AssertErrorEnvelope(answer, "request_too_large");
        Assert.Empty(host.Upstream.Requests);

        var count = await GatewayTestSupport.PostJsonAsync(host, "/v1/messages/count_tokens", body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, count.Status);
        GatewayTestSupport.AssertErrorEnvelope(count, "request_too_large");

        // Just under the limit is fine.
        var small = GatewayTestSupport.SimpleBody(new string('x', 60_000)).ToJsonString();
        var fine = await GatewayTestSupport.PostJsonAsync(host, "/v1/messages", small);
        Assert.Equal(HttpStatusCode.OK, fine.Status);
    }

    [Theory]
    [InlineData("/v1/messages", false)]
    [InlineData("/v1/messages", true)]
    [InlineData("/v1/messages/count_tokens", false)]
    public async Task Body_over_limit_is_413_with_chunked_encoding(string path, bool stream)
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:MaxRequestBodyBytes"] = "65536" });
        var body = Encoding.UTF8.GetBytes(GatewayTestSupport.SimpleBody(new string('y', 100_000), stream: stream).ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ChunkedContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("x-api-key", "k");
        var answer = await GatewayTestSupport.SendAsync(host.Http, request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.Status);
        GatewayTestSupport.AssertErrorEnvelope(answer, "request_too_large");
        Assert.Empty(host.Upstream.Requests);

        // The server still serves normal requests.
        var ok = await GatewayTestSupport.PostJsonAsync(host, "/v1/messages", GatewayTestSupport.SimpleBody());
        Assert.Equal(HttpStatusCode.OK, ok.Status);
    }
    private static byte[] WithBytes(string template, byte[] bad)
    {
        var bytes = Encoding.UTF8.GetBytes(template);
        var marker = Encoding.UTF8.GetBytes("@@");
        var at = bytes.AsSpan().IndexOf(marker);
        return [.. bytes.AsSpan(0, at), .. bad, .. bytes.AsSpan(at + marker.Length)];
    }

    public static TheoryData<string, string> Utf8Cases() => new()
    {
        { "/v1/messages", """{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"hi @@ there"}]}""" },
        { "/v1/messages", """{"model":"claude-sonnet-4-5","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi @@ there"}]}""" },
        { "/v1/messages", """{"model":"claude-@@","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""" },
        { "/v1/messages", """{"model":"claude-sonnet-4-5","max_tokens":10,"system":"sys @@","messages":[{"role":"user","content":"hi"}]}""" },
        { "/v1/messages", """{"model":"claude-sonnet-4-5","max_tokens":10,"x@@":1,"messages":[{"role":"user","content":"hi"}]}""" },
        { "/v1/messages/count_tokens", """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":[{"type":"text","text":"@@"}]}]}""" },
    };

    /// <summary>BUG: invalid UTF-8 inside a JSON string passes JsonDocument.Parse and makes GetString() throw → 500 api_error.</summary>
    [Theory]
    [MemberData(nameof(Utf8Cases))]
    public async Task Invalid_utf8_in_a_string_is_400_not_500(string path, string template)
    {
        await using var host = await GatewayHost.StartAsync();
        foreach (var bad in new byte[][] { [0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80] })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(WithBytes(template, bad)) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("x-api-key", "k");
            var answer = await GatewayTestSupport.SendAsync(host.Http, request);
            Assert.True(answer.Status == HttpStatusCode.BadRequest,
                $"invalid UTF-8 {Convert.ToHexString(bad)} → {(int)answer.Status} {answer.Body}");
            GatewayTestSupport.AssertErrorEnvelope(answer, "invalid_request_error");
        }
    }

    public static TheoryData<string, string> SurrogateCases() => new()
    {
        { "/v1/messages", """{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"hi \ud800 there"}]}""" },
        { "/v1/messages", """{"model":"claude-sonnet-4-5","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"x\udc00y"}]}""" },
        { "/v1/messages", """{"model":"\ud800","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""" },
        { "/v1/messages/count_tokens", """{"model":"claude-sonnet-4-5","system":"\udfff","messages":[{"role":"user","content":"hi"}]}""" },
    };

    /// <summary>BUG: an escaped unpaired surrogate (\ud800) makes GetString() throw → 500 api_error; must be a 4xx (or accepted).</summary>
    [Theory]
    [MemberData(nameof(SurrogateCases))]
    public async Task Escaped_lone_surrogate_is_not_a_5xx(string path, string body)
    {
        await using var host = await GatewayHost.StartAsync();
        var answer = await GatewayTestSupport.PostJsonAsync(host, path, body);
        Assert.True((int)answer.Status < 500, $"lone surrogate → {(int)answer.Status} {answer.Body}");
        if (answer.Status != HttpStatusCode.OK)
        {
            GatewayTestSupport.AssertErrorEnvelope(answer, "invalid_request_error");
        }
    }
}
