using System.Net;
using System.Text.Json.Nodes;
using OpenAI.Models;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using static Switchyard.Tests.Lanes.ChatToChat.OpenAIFrontSupport;

namespace Switchyard.Tests.Lanes.ChatToChat;

/// <summary>FIM, chat prefix completion, the model list in both shapes, and the balance.</summary>
public sealed class OtherEndpointsTests
{
    [Fact]
    public async Task Fim_completion_is_passed_through()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "    return a + b\n", PromptTokens = 12, CompletionTokens = 6 });

        var answer = await PostAsync(host, "/beta/completions",
            """{"model":"deepseek-v4-flash","prompt":"def add(a, b):\n","suffix":"\nprint(add(1, 2))","max_tokens":64}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("text_completion", answer.Json!["object"]!.GetValue<string>());
        Assert.Equal("    return a + b\n", answer.Json["choices"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(12, answer.Json["usage"]!["prompt_tokens"]!.GetValue<int>());
        var sent = host.Upstream.LastRequest;
        Assert.Equal("/beta/completions", sent.Path);
        Assert.Equal("\nprint(add(1, 2))", sent.Json!["suffix"]!.GetValue<string>());
        Assert.Equal(64, sent.Json["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Fim_completion_streams()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "return 42", ChunkSize = 3 });

        var answer = await PostAsync(host, "/beta/completions",
            """{"model":"deepseek-chat","prompt":"def f():\n    ","stream":true}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.StartsWith("text/event-stream", answer.Header("content-type"));
        Assert.Equal("deepseek-v4-flash", answer.Header("x-switchyard-model"));
        var payloads = answer.DataPayloads();
        Assert.Equal("[DONE]", payloads[^1]);
        var text = string.Concat(payloads.Take(payloads.Count - 1).Select(p => JsonNode.Parse(p)!["choices"]![0]!["text"]!.GetValue<string>()));
        Assert.Equal("return 42", text);
        Assert.Equal("deepseek-v4-flash", host.Upstream.LastRequest.Json!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fim_is_checked_billed_and_retried_like_every_lane()
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?>
        {
            ["Switchyard:Resilience:MaxRetries"] = "1",
            ["Switchyard:Resilience:BaseDelay"] = "00:00:00.005",
        });

        var wrongType = await PostAsync(host, "/beta/completions", """{"model":"deepseek-v4-flash","prompt":"x","max_tokens":"many"}""");
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.Status);
        Assert.Equal("max_tokens", wrongType.Json!["error"]!["param"]!.GetValue<string>());
        var emptyModel = await PostAsync(host, "/beta/completions", """{"model":"","prompt":"x"}""");
        Assert.Equal(HttpStatusCode.BadRequest, emptyModel.Status);
        Assert.Empty(host.Upstream.Requests);

        host.Upstream.Enqueue(FakeReply.Error(503));
        host.Upstream.Enqueue(new FakeReply { Content = "42", PromptTokens = 9, CompletionTokens = 2 });
        var answer = await PostAsync(host, "/beta/completions", """{"model":"deepseek-v4-flash","prompt":"x","best_of":3}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("1", answer.Header("x-switchyard-retries"));
        Assert.Equal(2, host.Upstream.Requests.Count);
        Assert.Null(host.Upstream.LastRequest.Json!["best_of"]);
    }

    /// <summary>
    /// DeepSeek queues a request for up to 10 minutes with <c>: keep-alive</c> comments. An OpenAI-format client gets
    /// its response headers at once and keep-alives while it waits, not silence until the first token.
    /// </summary>
    [Fact]
    public async Task A_queued_stream_sends_headers_at_once_and_keep_alives_while_it_waits()
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:PingInterval"] = "00:00:00.300" });
        host.Upstream.Enqueue(new FakeReply { Content = "Queued, then answered.", ChunkSize = 100, KeepAliveCount = 8, ChunkDelay = TimeSpan.FromMilliseconds(250) });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"deepseek-v4-flash","stream":true,"messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        var started = System.Diagnostics.Stopwatch.StartNew();

        using var response = await host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var headersAfter = started.Elapsed;
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(headersAfter < TimeSpan.FromSeconds(1), $"Headers came after {headersAfter}.");
        var firstData = body.IndexOf("data:", StringComparison.Ordinal);
        Assert.Contains(": keep-alive", body[..firstData], StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fim_without_prompt_is_an_openai_400()
    {
        await using var host = await GatewayHost.StartAsync();

        var answer = await PostAsync(host, "/beta/completions", """{"model":"deepseek-v4-flash"}""");

        var error = AssertOpenAIError(answer, HttpStatusCode.BadRequest, "invalid_request_error");
        Assert.Equal("prompt", error["param"]!.GetValue<string>());
        Assert.Empty(host.Upstream.Requests);
    }

    [Fact]
    public async Task Prefix_completion_goes_to_the_upstream_beta_path()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Text("def quicksort(arr):\n    pass\n"));

        var answer = await PostAsync(host, "/v1/chat/completions", """
            {"model":"deepseek-v4-flash","thinking":{"type":"disabled"},"stop":["```"],
             "messages":[{"role":"user","content":"Write quicksort"},{"role":"assistant","content":"```python\n","prefix":true}]}
            """);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("def quicksort(arr):\n    pass\n", answer.Json!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        var sent = host.Upstream.LastRequest;
        Assert.Equal("/beta/chat/completions", sent.Path);
        Assert.True(sent.Json!["messages"]![1]!["prefix"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Models_list_has_the_openai_shape_for_openai_clients()
    {
        await using var host = await GatewayHost.StartAsync();

        foreach (var path in new[] { "/models", "/v1/models" })
        {
            var answer = await GetAsync(host, path);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal("list", answer.Json!["object"]!.GetValue<string>());
            var data = answer.Json["data"]!.AsArray();
            Assert.Contains(data, m => m!["id"]!.GetValue<string>() == "deepseek-v4-flash");
            Assert.All(data, m =>
            {
                Assert.Equal("model", m!["object"]!.GetValue<string>());
                Assert.True(m["created"]!.GetValue<long>() > 0);
                Assert.Equal("deepseek", m["owned_by"]!.GetValue<string>());
            });
            Assert.Null(answer.Json["has_more"]);
        }

        var sdk = new OpenAIModelClient(new System.ClientModel.ApiKeyCredential("k"), Options(host));
        OpenAIModelCollection models = await sdk.GetModelsAsync();
        Assert.Contains(models, m => m.Id == "deepseek-v4-pro" && m.OwnedBy == "deepseek");
    }

    [Fact]
    public async Task Models_list_has_the_anthropic_shape_for_anthropic_clients()
    {
        await using var host = await GatewayHost.StartAsync();

        var answer = await GetAsync(host, "/v1/models", new Dictionary<string, string> { ["anthropic-version"] = "2023-06-01" });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Null(answer.Json!["object"]);
        Assert.False(answer.Json["has_more"]!.GetValue<bool>());
        var data = answer.Json["data"]!.AsArray();
        Assert.All(data, m =>
        {
            Assert.Equal("model", m!["type"]!.GetValue<string>());
            Assert.NotNull(m["display_name"]);
            Assert.NotNull(m["created_at"]);
        });
        Assert.Equal(data[0]!["id"]!.GetValue<string>(), answer.Json["first_id"]!.GetValue<string>());

        var one = await GetAsync(host, "/v1/models/deepseek-v4-pro");
        Assert.Equal("model", one.Json!["object"]!.GetValue<string>());
        Assert.Equal("deepseek-v4-pro", one.Json["id"]!.GetValue<string>());
        var oneAnthropic = await GetAsync(host, "/v1/models/deepseek-v4-pro", new Dictionary<string, string> { ["anthropic-version"] = "2023-06-01" });
        Assert.Equal("model", oneAnthropic.Json!["type"]!.GetValue<string>());
        Assert.Equal("DeepSeek V4 Pro", oneAnthropic.Json["display_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_model_on_the_openai_path_is_an_openai_404()
    {
        await using var host = await GatewayHost.StartAsync();

        var answer = await GetAsync(host, "/models/gpt-nothing");

        AssertOpenAIError(answer, HttpStatusCode.NotFound, "invalid_request_error");
    }

    [Theory]
    [InlineData("/user/balance")]
    [InlineData("/v1/user/balance")]
    public async Task Balance_is_the_upstream_balance_for_callers_without_a_budget(string path)
    {
        await using var host = await GatewayHost.StartAsync();

        var answer = await GetAsync(host, path);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.True(answer.Json!["is_available"]!.GetValue<bool>());
        var info = answer.Json["balance_infos"]![0]!;
        Assert.Equal("USD", info["currency"]!.GetValue<string>());
        Assert.Equal("110.00", info["total_balance"]!.GetValue<string>());
        Assert.Equal("/user/balance", host.Upstream.LastRequest.Path);
        Assert.Equal("Bearer " + host.Upstream.ApiKey, host.Upstream.LastRequest.Header("authorization"));
    }
}
