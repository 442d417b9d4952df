using System.Net;
using Switchyard.Tests.Infrastructure;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Robustness;

/// <summary>The client mistakes that once got a 500: each is now a 400 in the caller's format, or served as documented.</summary>
public sealed class ClientMistakeTests
{
    private const string AdminKey = "admin-key-for-client-mistake-tests-0123456789";

    [Theory]
    [InlineData("/v1/chat/completions", """{"model":"deepseek-v4-flash","messages":[1]}""")]
    [InlineData("/beta/chat/completions", """{"model":"deepseek-v4-flash","messages":[1,{"role":"user","content":"hi"}]}""")]
    [InlineData("/v1/chat/completions", """{"model":"deepseek-v4-flash","messages":[{"role":"user","content":[7]}]}""")]
    [InlineData("/v1/chat/completions", """{"model":"deepseek-v4-flash","thinking":"on","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/v1/chat/completions", """{"model":"deepseek-v4-flash","thinking":[],"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/v1/messages", """{"model":"claude-sonnet-4-5","max_tokens":5,"thinking":"on","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/v1/messages", """{"model":"claude-sonnet-4-5","max_tokens":5,"messages":[1]}""")]
    public async Task Wrong_types_before_validation_are_a_400(string path, string body)
    {
        await using var host = await GatewayHost.StartAsync();
        var answer = await PostJsonAsync(host, path, body);
        CallerFormats.AssertError(answer, path, HttpStatusCode.BadRequest);
        Assert.Empty(host.Upstream.Requests);
    }

    [Theory]
    [InlineData("sy1.garbage")]
    [InlineData("sy1.!!!!")]
    [InlineData("sy1.")]
    [InlineData("sy1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")]
    [InlineData("sy1o.garbage")]
    [InlineData("sy1o.!!.AAAA")]
    public async Task A_malformed_switchyard_signature_is_replayed_as_sent_like_any_unverified_block(string signature)
    {
        await using var host = await GatewayHost.StartAsync();
        foreach (var path in new[] { "/v1/messages", "/v1/messages/count_tokens" })
        {
            var body = $$"""
                {"model":"claude-sonnet-4-5","max_tokens":5,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[
                  {"role":"user","content":"hi"},
                  {"role":"assistant","content":[{"type":"thinking","thinking":"x","signature":"{{signature}}"},{"type":"text","text":"t"}]},
                  {"role":"user","content":"again"}]}
                """;
            var answer = await PostJsonAsync(host, path, body);
            Assert.True(answer.Status == HttpStatusCode.OK, $"{path}: {(int)answer.Status} {answer.Body}");
        }

        Assert.Equal("x", Str(UpstreamMessages(host)[1]!["reasoning_content"]));
    }

    [Theory]
    [InlineData("/admin/usage?since=99999999999d")]
    [InlineData("/admin/usage?since=9223372036854775807w")]
    [InlineData("/admin/requests?since=99999999999999m")]
    [InlineData("/dashboard/api/usage?since=99999999999d")]
    [InlineData("/dashboard/api/requests?since=9223372036854775807h")]
    public async Task A_span_reaching_before_year_one_is_a_400(string path)
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:Admin:Key"] = AdminKey });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("x-api-key", AdminKey);
        var answer = await SendAsync(host.Http, request);
        CallerFormats.AssertError(answer, path, HttpStatusCode.BadRequest);
        Assert.Contains("since", answer.Body, StringComparison.Ordinal);

        // A long but representable span is fine.
        using var fine = new HttpRequestMessage(HttpMethod.Get, path.Split('?')[0] + "?since=36500d");
        fine.Headers.Add("x-api-key", AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(host.Http, fine)).Status);
    }
}
