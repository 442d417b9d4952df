using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Lanes.MessagesPassthrough;

/// <summary>Anthropic clients of a model served by an Anthropic-format upstream: everything passes through byte for byte.</summary>
public sealed class AnthropicPassthroughTests
{
    // Odd but valid JSON: spacing, key order, escapes and unknown fields must all survive.
    private const string OddBody = "{ \"max_tokens\" : 300,\n  \"model\":\"claude-sonnet-4-5\" , \"messages\":[{\"role\":\"user\",\"content\":\"h\\u00e9llo \u00fc \\ud83d\\ude00\"}],\n \"metadata\":{\"user_id\":\"u-1\"}, \"future_field\":{\"x\":[1, 2.50, 1e3]}, \"temperature\":0.7 }";

    [Fact]
    public async Task Request_bytes_and_headers_reach_the_upstream_unchanged_except_credentials()
    {
        await using var stack = await AnthropicStack.StartAsync();
        var bytes = Encoding.UTF8.GetBytes(OddBody);

        var answer = await stack.PostBytesAsync("/v1/messages", bytes, new Dictionary<string, string>
        {
            ["x-api-key"] = "sk-client-test",
            ["authorization"] = "Bearer sk-client-bearer",
            ["anthropic-version"] = "2023-06-01",
            ["anthropic-beta"] = "interleaved-thinking-2025-05-14,context-1m-2025-08-07",
        });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var received = stack.Anthropic.LastRequest;
        Assert.Equal("/v1/messages", received.Path);
        Assert.Equal(bytes, received.Body);
        Assert.Equal("2023-06-01", received.Header("anthropic-version"));
        Assert.Equal("interleaved-thinking-2025-05-14,context-1m-2025-08-07", received.Header("anthropic-beta"));
        Assert.Equal(stack.Anthropic.ApiKey, received.Header("x-api-key"));
        Assert.Null(received.Header("authorization"));
        Assert.DoesNotContain(received.Headers.Values, v => v.Contains("sk-client", StringComparison.Ordinal));
        Assert.Equal("claude-sonnet-4-5", answer.Header("x-switchyard-model"));
        Assert.Equal("anthropic", answer.Header("x-switchyard-provider"));
        Assert.Empty(stack.Host.Upstream.Requests);
    }

    [Fact]
    public async Task Json_response_bytes_reach_the_client_unchanged()
    {
        await using var stack = await AnthropicStack.StartAsync();
        var json = "{\"id\":\"msg_odd\",  \"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"text\",\"text\":\"caf\\u00e9 \u2603\",\"citations\":null}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":3,\"output_tokens\":2,\"service_tier\":\"standard\"},\"future\":true}";
        stack.Anthropic.Enqueue(FakeAnthropicReply.Json(json, headers: new Dictionary<string, string> { ["anthropic-ratelimit-requests-remaining"] = "99" }));

        var answer = await stack.PostBytesAsync("/anthropic/v1/messages", Encoding.UTF8.GetBytes("""{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(stack.Anthropic.Sent[^1].Bytes, answer.Body);
        Assert.StartsWith("application/json", answer.Header("content-type"));
        Assert.Equal("99", answer.Header("anthropic-ratelimit-requests-remaining"));
    }

    [Fact]
    public async Task Model_is_the_only_byte_change_when_the_catalog_names_an_upstream_id()
    {
        await using var stack = await AnthropicStack.StartAsync(upstreamIdModel: "claude-sonnet-4-5-20250929");
        var body = OddBody.Replace("\"claude-sonnet-4-5\"", "\"claude-renamed\"", StringComparison.Ordinal);

        var answer = await stack.PostBytesAsync("/v1/messages", Encoding.UTF8.GetBytes(body));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var expected = body.Replace("\"claude-renamed\"", "\"claude-sonnet-4-5-20250929\"", StringComparison.Ordinal);
        Assert.Equal(expected, stack.Anthropic.LastRequest.BodyText);
        Assert.Equal("claude-renamed", answer.Header("x-switchyard-model"));
    }

    [Fact]
    public async Task Sse_stream_bytes_reach_the_client_unchanged()
    {
        await using var stack = await AnthropicStack.StartAsync();
        var events = AnthropicScripts.ThinkingToolStream("claude-sonnet-4-5", "Let me look that up.", "EqQBCkYIBxgCKkBsig==",
            ("toolu_01A", "get_weather", """{"city":"Paris"}"""));
        // A comment and an unknown event must survive too.
        var reply = FakeAnthropicReply.Sse(events) with { };
        var pieces = reply.Pieces.ToList();
        pieces.Insert(2, Encoding.UTF8.GetBytes(": upstream comment\n\nevent: future_event\ndata: {\"type\":\"future_event\"}\n\n"));
        stack.Anthropic.Enqueue(reply with { Pieces = pieces });

        var answer = await stack.PostBytesAsync("/v1/messages", Encoding.UTF8.GetBytes("""{"model":"claude-sonnet-4-5","max_tokens":2000,"stream":true,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"weather?"}]}"""));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.StartsWith("text/event-stream", answer.Header("content-type"));
        Assert.Equal(Encoding.UTF8.GetString(stack.Anthropic.Sent[^1].Bytes), answer.Text);
        Assert.Equal(stack.Anthropic.Sent[^1].Bytes, answer.Body);
    }

    [Fact]
    public async Task The_anthropic_sdk_gets_the_upstream_message()
    {
        await using var stack = await AnthropicStack.StartAsync();
        stack.Anthropic.Enqueue(FakeAnthropicReply.Json(AnthropicScripts.Message("claude-sonnet-4-5", """[{"type":"text","text":"Hi from Claude."}]""", "end_turn", input: 11, output: 4, cacheRead: 7)));

        var message = await stack.Host.AnthropicClient().Messages.Create(new MessageCreateParams
        {
            Model = "claude-sonnet-4-5",
            MaxTokens = 100,
            Messages = [new UserMessageParam { Content = "Hello" }],
        });

        Assert.Equal("msg_fake01", message.ID);
        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.Equal("Hi from Claude.", text!.Text);
        Assert.Equal(11, message.Usage.InputTokens);
        Assert.Equal(7, message.Usage.CacheReadInputTokens);
        var received = stack.Anthropic.LastRequest;
        Assert.Equal(stack.Anthropic.ApiKey, received.Header("x-api-key"));
        Assert.NotNull(received.Header("anthropic-version"));
        Assert.Equal("claude-sonnet-4-5", received.Json!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_anthropic_sdk_streams_thinking_with_its_signature_and_tool_use()
    {
        await using var stack = await AnthropicStack.StartAsync();
        stack.Anthropic.Enqueue(FakeAnthropicReply.Sse(AnthropicScripts.ThinkingToolStream("claude-sonnet-4-5", "Need the weather.", "sig-XYZ-123",
            ("toolu_01", "get_weather", """{"city":"Oslo"}"""))));

        var message = await stack.Host.AnthropicClient().Messages.CreateStreaming(new MessageCreateParams
        {
            Model = "claude-sonnet-4-5",
            MaxTokens = 2000,
            Thinking = new ThinkingConfigEnabled { BudgetTokens = 1024 },
            Messages = [new UserMessageParam { Content = "Weather in Oslo?" }],
        }).Aggregate();

        Assert.True(message.Content[0].TryPickThinking(out var thinking));
        Assert.Equal("Need the weather.", thinking!.Thinking);
        Assert.Equal("sig-XYZ-123", thinking.Signature);
        Assert.True(message.Content[1].TryPickToolUse(out var tool));
        Assert.Equal("toolu_01", tool!.ID);
        Assert.Equal("Oslo", tool.Input["city"].GetString());
        Assert.Equal(StopReason.ToolUse, message.StopReason!.Value());
    }

    [Theory]
    [InlineData(429, "rate_limit_error")]
    [InlineData(400, "invalid_request_error")]
    [InlineData(529, "overloaded_error")]
    [InlineData(413, "request_too_large")]
    [InlineData(500, "api_error")]
    public async Task Upstream_errors_pass_through_as_they_are(int status, string type)
    {
        await using var stack = await AnthropicStack.StartAsync(extra: Lanes.ChatToChat.OpenAIFrontSupport.NoRetries());
        stack.Anthropic.Enqueue(FakeAnthropicReply.Error(status, type, "upstream says no: " + type,
            new Dictionary<string, string> { ["retry-after"] = "3", ["x-should-retry"] = "true" }));

        var answer = await stack.PostBytesAsync("/v1/messages", Encoding.UTF8.GetBytes("""{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal((HttpStatusCode)status, answer.Status);
        Assert.Equal(Encoding.UTF8.GetString(stack.Anthropic.Sent[^1].Bytes), answer.Text);
        Assert.Equal("3", answer.Header("retry-after"));
        Assert.Equal("true", answer.Header("x-should-retry"));
    }

    [Fact]
    public async Task The_anthropic_sdk_sees_an_upstream_429_as_a_rate_limit()
    {
        await using var stack = await AnthropicStack.StartAsync(extra: Lanes.ChatToChat.OpenAIFrontSupport.NoRetries());
        stack.Anthropic.Enqueue(FakeAnthropicReply.Error(429, "rate_limit_error", "slow down", new Dictionary<string, string> { ["retry-after"] = "1" }));

        var error = await Assert.ThrowsAsync<AnthropicRateLimitException>(() => stack.Host.AnthropicClient().Messages.Create(new MessageCreateParams
        {
            Model = "claude-sonnet-4-5",
            MaxTokens = 10,
            Messages = [new UserMessageParam { Content = "hi" }],
        }));

        Assert.Contains("slow down", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upstream_401_is_a_500_api_error_that_must_not_be_retried()
    {
        await using var stack = await AnthropicStack.StartAsync(extra: Lanes.ChatToChat.OpenAIFrontSupport.NoRetries(new Dictionary<string, string?> { ["Switchyard:Providers:0:ApiKey"] = "sk-ant-wrong-key-4321" }));

        var answer = await stack.PostBytesAsync("/v1/messages", Encoding.UTF8.GetBytes("""{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.InternalServerError, answer.Status);
        Assert.Equal("false", answer.Header("x-should-retry"));
        var json = JsonNode.Parse(answer.Body)!;
        Assert.Equal("error", json["type"]!.GetValue<string>());
        Assert.Equal("api_error", json["error"]!["type"]!.GetValue<string>());
        Assert.DoesNotContain("4321", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("invalid x-api-key", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Count_tokens_passes_through()
    {
        await using var stack = await AnthropicStack.StartAsync();
        stack.Anthropic.Enqueue(FakeAnthropicReply.Json("""{"input_tokens":1234}"""));
        var body = Encoding.UTF8.GetBytes("""{"model":"claude-sonnet-4-5", "messages":[{"role":"user","content":"count me"}],"system":"s"}""");

        var answer = await stack.PostBytesAsync("/anthropic/v1/messages/count_tokens", body, new Dictionary<string, string>
        {
            ["x-api-key"] = "sk-client-test",
            ["anthropic-version"] = "2023-06-01",
            ["anthropic-beta"] = "token-counting-2024-11-01",
        });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("""{"input_tokens":1234}""", answer.Text);
        var received = stack.Anthropic.LastRequest;
        Assert.Equal("/v1/messages/count_tokens", received.Path);
        Assert.Equal(body, received.Body);
        Assert.Equal("token-counting-2024-11-01", received.Header("anthropic-beta"));
        Assert.Equal(stack.Anthropic.ApiKey, received.Header("x-api-key"));

        stack.Anthropic.Enqueue(FakeAnthropicReply.Json("""{"input_tokens":77}"""));
        var count = await stack.Host.AnthropicClient().Messages.CountTokens(new MessageCountTokensParams
        {
            Model = "claude-sonnet-4-5",
            Messages = [new UserMessageParam { Content = "count me too" }],
        });
        Assert.Equal(77, count.InputTokens);
    }

    [Fact]
    public async Task Claude_names_not_in_the_catalog_are_still_served_by_deepseek()
    {
        await using var stack = await AnthropicStack.StartAsync();

        var message = await stack.Host.AnthropicClient().Messages.Create(new MessageCreateParams
        {
            Model = "claude-haiku-4-5",
            MaxTokens = 50,
            Messages = [new UserMessageParam { Content = "hi" }],
        });

        Assert.Equal("deepseek-v4-flash", message.Model.Raw());
        Assert.Empty(stack.Anthropic.Requests);
        Assert.Single(stack.Host.Upstream.Requests);
    }
}
