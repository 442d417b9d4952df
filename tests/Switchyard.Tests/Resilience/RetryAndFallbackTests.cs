using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Switchyard.Tests.Fakes;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Resilience;

/// <summary>Fault injection before the first byte: retries (with retry-after), fallbacks, unreachable and stalled upstreams.</summary>
public sealed class RetryAndFallbackTests
{
    [Fact]
    public async Task A_429_is_retried_after_its_retry_after()
    {
        await using var p = await TwoProviders.StartAsync();
        p.Primary.Enqueue(FakeReply.Error(429, headers: new Dictionary<string, string> { ["retry-after"] = "1" }));
        p.Primary.Enqueue(FakeReply.Text("after the wait"));
        var clock = Stopwatch.StartNew();
        var answer = await PostJsonAsync(p.Host, "/v1/messages", SimpleBody("hi"));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {clock.Elapsed}");
        Assert.Equal("after the wait", answer.Json!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(2, p.Primary.Requests.Count);
        Assert.Empty(p.Backup.Requests);
        Assert.Equal("1", answer.Headers.GetValues("x-switchyard-retries").Single());
    }

    [Fact]
    public async Task A_retry_after_beyond_the_budget_goes_to_the_fallback_at_once()
    {
        await using var p = await TwoProviders.StartAsync();
        p.Primary.Enqueue(FakeReply.Error(429, headers: new Dictionary<string, string> { ["retry-after"] = "60" }));
        var clock = Stopwatch.StartNew();
        var answer = await PostJsonAsync(p.Host, "/v1/messages", SimpleBody("hi"));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Single(p.Primary.Requests);
        Assert.Single(p.Backup.Requests);
    }

    [Fact]
    public async Task Repeated_503s_fall_back_to_the_next_provider()
    {
        await using var p = await TwoProviders.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            p.Primary.Enqueue(FakeReply.Error(503));
        }

        p.Backup.Enqueue(FakeReply.Text("served by the backup"));
        var message = await p.Host.AnthropicClient().Messages.Create(new global::Anthropic.Models.Messages.MessageCreateParams
        {
            Model = "claude-sonnet-4-5",
            MaxTokens = 100,
            Messages = [new global::Anthropic.Models.Messages.UserMessageParam { Content = "hi" }],
        });
        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.Equal("served by the backup", text!.Text);
        Assert.Equal(3, p.Primary.Requests.Count);
        Assert.Single(p.Backup.Requests);
    }

    [Fact]
    public async Task A_client_error_is_neither_retried_nor_sent_to_the_fallback()
    {
        await using var p = await TwoProviders.StartAsync();
        p.Primary.Enqueue(FakeReply.Error(400, FakeDeepSeek.ErrorJson("bad thing", "invalid_request_error")));
        var answer = await PostJsonAsync(p.Host, "/v1/messages", SimpleBody("hi"));
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Single(p.Primary.Requests);
        Assert.Empty(p.Backup.Requests);
    }

    [Fact]
    public async Task A_refused_connection_falls_back()
    {
        var port = TwoProviders.ClosedPort();
        await using var p = await TwoProviders.StartAsync(new Dictionary<string, string?>
        {
            ["Switchyard:Providers:1:Name"] = "dead",
            ["Switchyard:Providers:1:BaseUrl"] = $"http://127.0.0.1:{port}/",
            ["Switchyard:Routes:0:Targets:0:Provider"] = "dead",
            ["Switchyard:Routes:0:Targets:1:Provider"] = "backup",
        });
        p.Backup.Enqueue(FakeReply.Text("alive"));
        var answer = await PostJsonAsync(p.Host, "/v1/messages", SimpleBody("hi", stream: true));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var events = ParseSse(answer.Body);
        Assert.Equal("message_stop", events[^1].Event);
        Assert.Contains(events, e => e.Json?["delta"]?["text"]?.GetValue<string>() is { } t && t.Length > 0);
        Assert.Single(p.Backup.Requests);
    }

    [Fact]
    public async Task A_stall_past_the_first_byte_timeout_is_retried()
    {
        await using var p = await TwoProviders.StartAsync(new Dictionary<string, string?>
        {
            ["Switchyard:Upstream:FirstByteTimeout"] = "00:00:01",
        });
        p.Primary.Enqueue(new FakeReply { StallBeforeFirstByte = TimeSpan.FromSeconds(10) });
        p.Primary.Enqueue(FakeReply.Text("second try"));
        var answer = await PostJsonAsync(p.Host, "/v1/messages", SimpleBody("hi"));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("second try", answer.Json!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(2, p.Primary.Requests.Count);
    }

    [Fact]
    public async Task Openai_clients_get_retries_and_fallbacks_too()
    {
        await using var p = await TwoProviders.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            p.Primary.Enqueue(FakeReply.Error(500));
        }

        p.Backup.Enqueue(FakeReply.Text("openai via backup"));
        var answer = await PostJsonAsync(p.Host, "/v1/chat/completions",
            """{"model":"deepseek-v4-flash","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("openai via backup", answer.Json!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Insufficient_system_resource_is_retried()
    {
        await using var p = await TwoProviders.StartAsync();
        p.Primary.Enqueue(new FakeReply { Content = "cut", FinishReason = "insufficient_system_resource" });
        p.Primary.Enqueue(FakeReply.Text("whole"));
        var answer = await PostJsonAsync(p.Host, "/v1/messages", SimpleBody("hi"));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("whole", answer.Json!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Readyz_reports_storage_and_circuits()
    {
        await using var p = await TwoProviders.StartAsync();
        var response = await p.Host.Http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var anonymous = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ready", anonymous["status"]!.GetValue<string>());
        Assert.Null(anonymous["providers"]);
        var json = await p.ReadyAsync();
        Assert.Equal("ready", json["status"]!.GetValue<string>());
        Assert.Equal("ok", json["checks"]!["storage"]!.GetValue<string>());
        Assert.Equal("closed", json["providers"]!["backup"]!["endpoints"]![0]!["circuit"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await p.Host.Http.GetAsync("/healthz")).StatusCode);
    }
}
