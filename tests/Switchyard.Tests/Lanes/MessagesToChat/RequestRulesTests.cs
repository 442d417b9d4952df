using System.Net;
using Switchyard.Tests.Infrastructure;
using Switchyard.Tests.Robustness;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Lanes.MessagesToChat;

/// <summary>Request rules where Switchyard follows what DeepSeek does rather than a stricter reading.</summary>
public sealed class RequestRulesTests
{
    [Fact]
    public async Task Thinking_enabled_without_a_budget_is_served_with_thinking_on()
    {
        await using var host = await GatewayHost.StartAsync();
        var answer = await PostJsonAsync(host, "/v1/messages",
            """{"model":"claude-sonnet-4-5","max_tokens":50,"thinking":{"type":"enabled"},"messages":[{"role":"user","content":"hi"}]}""");
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
        Assert.Equal("enabled", Str(host.Upstream.LastRequest.Json!["thinking"]!["type"]));

        var count = await PostJsonAsync(host, "/v1/messages/count_tokens",
            """{"model":"claude-sonnet-4-5","thinking":{"type":"enabled"},"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.OK, count.Status);
    }

    [Theory]
    [InlineData("/v1/messages", """{"model":"","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/v1/messages", """{"model":"  ","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/v1/messages/count_tokens", """{"model":"","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/v1/chat/completions", """{"model":"","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/beta/completions", """{"model":"","prompt":"def f("}""")]
    [InlineData("/v1/messages", """{"model":"claude-@@@","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/v1/chat/completions", """{"model":"deepseek-@@@","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/beta/completions", """{"model":"deepseek-@@@","prompt":"def f("}""")]
    [InlineData("/v1/responses", """{"model":"","input":"hi"}""")]
    [InlineData("/v1/responses", """{"model":"deepseek-@@@","input":"hi"}""")]
    [InlineData("/responses", """{"model":"deepseek-@@@","stream":true,"input":[{"role":"user","content":"hi"}]}""")]
    public async Task An_empty_or_overlong_model_is_a_400_not_the_first_catalog_entry(string path, string body)
    {
        await using var host = await GatewayHost.StartAsync();
        // A name that is kept in the ledger and logged with every request has a length limit (256).
        var answer = await PostJsonAsync(host, path, body.Replace("@@@", new string('x', 300), StringComparison.Ordinal));
        CallerFormats.AssertError(answer, path, HttpStatusCode.BadRequest);
        Assert.Contains("model", answer.Body, StringComparison.Ordinal);
        Assert.Empty(host.Upstream.Requests);
    }
}
