using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Switchyard.Tests.Infrastructure;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Endpoints;

/// <summary>How request bodies are read: whole and exact whatever their framing, and within one nesting limit.</summary>
public sealed class RequestBodyTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(16_300)]
    [InlineData(16_400)]
    [InlineData(65_500)]
    [InlineData(65_600)]
    [InlineData(1_200_000)]
    public async Task Chunked_and_declared_bodies_reach_the_upstream_byte_for_byte(int size)
    {
        await using var host = await GatewayHost.StartAsync();
        var text = string.Concat(Enumerable.Range(0, size / 10 + 1).Select(i => $"{i:D9}é"))[..size];
        var bytes = Encoding.UTF8.GetBytes(SimpleBody(text).ToJsonString());
        foreach (var chunked in new[] { true, false })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
            {
                Content = chunked ? new ChunkedContent(bytes) : new ByteArrayContent(bytes),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var answer = await SendAsync(host.Http, request);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal(text, Str(UpstreamMessages(host)[^1]!["content"]));
        }
    }

    [Theory]
    [InlineData("/v1/messages/count_tokens")]
    [InlineData("/v1/chat/completions")]
    [InlineData("/beta/completions")]
    [InlineData("/v1/responses")]
    public async Task Nesting_up_to_64_levels_is_read_and_65_is_a_400(string path)
    {
        await using var host = await GatewayHost.StartAsync();
        foreach (var (depth, status) in new[] { (64, HttpStatusCode.OK), (65, HttpStatusCode.BadRequest), (128, HttpStatusCode.BadRequest) })
        {
            // The root object is level 1; "extra" holds the rest of the levels.
            var nested = new string('[', depth - 1) + new string(']', depth - 1);
            var body = path switch
            {
                "/v1/messages/count_tokens" => $$"""{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}],"extra":{{nested}}}""",
                "/v1/chat/completions" => $$"""{"model":"deepseek-v4-flash","messages":[{"role":"user","content":"hi"}],"extra":{{nested}}}""",
                "/v1/responses" => $$"""{"model":"deepseek-v4-flash","input":"hi","metadata":{"k":"v"},"extra":{{nested}}}""",
                _ => $$"""{"model":"deepseek-v4-flash","prompt":"def f(","extra":{{nested}}}""",
            };
            var answer = await PostJsonAsync(host, path, body);
            Assert.True(status == answer.Status, $"depth {depth} on {path}: {(int)answer.Status} {answer.Body}");
            if (status != HttpStatusCode.OK)
            {
                Assert.Contains("depth", answer.Body, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Theory]
    [InlineData("/v1/messages", """{"model":"claude-sonnet-4-5","max_tokens":5,"max_tokens":9,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/v1/chat/completions", """{"model":"deepseek-v4-flash","model":"deepseek-v4-pro","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/v1/chat/completions", """{"model":"deepseek-v4-flash","messages":[{"role":"user","role":"system","content":"hi"}]}""")]
    [InlineData("/beta/completions", """{"model":"deepseek-v4-flash","prompt":"a","prompt":"b"}""")]
    [InlineData("/v1/responses", """{"model":"deepseek-v4-flash","input":"a","input":[{"role":"user","content":"b"}]}""")]
    [InlineData("/responses", """{"model":"deepseek-v4-flash","input":[{"role":"user","content":[{"type":"input_text","text":"a","text":"b"}]}]}""")]
    public async Task Duplicate_keys_are_a_400_that_names_the_key(string path, string body)
    {
        await using var host = await GatewayHost.StartAsync();
        var answer = await PostJsonAsync(host, path, body);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("duplicate", answer.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(host.Upstream.Requests);
    }
}
