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

    [Fact]
    public async Task An_overlong_model_name_is_not_kept_in_the_ledger()
    {
        const string adminKey = "rules-admin-key-0123456789abcdef";
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:Admin:Key"] = adminKey });
        var name = new string('m', 100_000);
        var refused = await PostJsonAsync(host, "/v1/chat/completions", $$"""{"model":"{{name}}","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        var served = await PostJsonAsync(host, "/v1/chat/completions", """{"model":"deepseek-v4-pro","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.OK, served.Status);

        System.Text.Json.Nodes.JsonArray? rows = null;
        for (var attempt = 0; attempt < 50 && rows is not { Count: 2 }; attempt++)
        {
            await Task.Delay(100);
            using var list = new HttpRequestMessage(HttpMethod.Get, "/admin/requests?limit=10");
            list.Headers.Add("x-api-key", adminKey);
            rows = System.Text.Json.Nodes.JsonNode.Parse(await (await host.Http.SendAsync(list)).Content.ReadAsStringAsync())!["data"]!.AsArray();
        }

        Assert.Equal(2, rows!.Count);
        Assert.Equal("deepseek-v4-pro", Str(rows.Single(r => (int)r!["status"]! == 200)!["requested_model"]));
        Assert.Null(rows.Single(r => (int)r!["status"]! == 400)!["requested_model"]);
    }
}
