using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Lanes.MessagesToChat;

/// <summary>Streaming through the official C# SDK and on the raw SSE wire.</summary>
public sealed class StreamingSdkTests
{
        private static Tool Tool(string name) => new()
    {
        Name = name,
        Description = "test tool " + name,
        InputSchema = new InputSchema
        {
            Properties = new Dictionary<string, JsonElement> { ["q"] = JsonSerializer.SerializeToElement(new { type = "string" }) },
        },
    };

    private static MessageCreateParams Params(string text = "Hello", bool thinking = false, params string[] tools) => new()
    {
        Model = "claude-sonnet-4-5",
        MaxTokens = 4096,
        Messages = [new UserMessageParam { Content = text }],
        Thinking = thinking ? new ThinkingConfigEnabled(1024) : new ThinkingConfigDisabled(),
        Tools = tools.Length == 0 ? null : [.. tools.Select(t => (ToolUnion)Tool(t))],
    };

    private static async Task<Message> StreamAsync(GatewayHost host, MessageCreateParams p) =>
        await host.AnthropicClient().Messages.CreateStreaming(p).Aggregate();

    private static string TextOf(ContentBlock block)
    {
        Assert.True(block.TryPickText(out var t), $"expected text, got {block.Type}");
        return t!.Text;
    }

    private static ThinkingBlock ThinkingOf(ContentBlock block)
    {
        Assert.True(block.TryPickThinking(out var t), $"expected thinking, got {block.Type}");
        return t!;
    }

    private static ToolUseBlock ToolOf(ContentBlock block)
    {
        Assert.True(block.TryPickToolUse(out var t), $"expected tool_use, got {block.Type}");
        return t!;
    }

    private static async Task<List<SseEvent>> RawStreamAsync(GatewayHost host, JsonObject body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        body["stream"] = true;
        var answer = await PostJsonAsync(host, "/v1/messages", body);
        Assert.Equal(expected, answer.Status);
        if (expected == HttpStatusCode.OK)
        {
            Assert.StartsWith("text/event-stream", answer.ContentHeaders.ContentType!.ToString(), StringComparison.Ordinal);
        }

        return ParseSse(answer.Body);
    }

    private static JsonObject ToolsBody(bool thinking, params string[] tools)
    {
        var body = SimpleBody("use tools", stream: true, maxTokens: 4096);
        body["tools"] = new JsonArray([.. tools.Select(t => (JsonNode)new JsonObject
        {
            ["name"] = t,
            ["input_schema"] = new JsonObject { ["type"] = "object" },
        })]);
        if (thinking)
        {
            body["thinking"] = new JsonObject { ["type"] = "enabled", ["budget_tokens"] = 1024 };
        }

        return body;
    }

    [Fact]
    public async Task Text_stream_aggregates_to_fake_content()
    {
        await using var host = await GatewayHost.StartAsync();
        const string content = "The quick brown fox jumps over the lazy dog. Ünïcødé ✓ 🦊 done.";
        host.Upstream.Enqueue(new FakeReply { Content = content, ChunkSize = 2, KeepAliveCount = 3 });
        var message = await StreamAsync(host, Params());
        Assert.Equal(content, TextOf(Assert.Single(message.Content)));
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        Assert.Equal("deepseek-v4-flash", message.Model.Raw());
        var up = host.Upstream.LastRequest.Json!;
        Assert.True(up["stream"]!.GetValue<bool>());
        Assert.Equal("disabled", Str(up["thinking"]?["type"]));
    }

    [Fact]
    public async Task Reasoning_then_text()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Reasoning = "Step 1. Step 2. Conclude.", Content = "Answer: 42", ChunkSize = 4 });
        var message = await StreamAsync(host, Params(thinking: true));
        Assert.Equal(2, message.Content.Count);
        var thinking = ThinkingOf(message.Content[0]);
        Assert.Equal("Step 1. Step 2. Conclude.", thinking.Thinking);
        Assert.StartsWith("sy1.", thinking.Signature, StringComparison.Ordinal);
        Assert.Equal("Answer: 42", TextOf(message.Content[1]));
        Assert.Equal("enabled", Str(host.Upstream.LastRequest.Json!["thinking"]?["type"]));
    }

    [Fact]
    public async Task Streamed_signature_equals_non_streamed_signature()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Reasoning = "same reasoning", Content = "x" });
        host.Upstream.Enqueue(new FakeReply { Reasoning = "same reasoning", Content = "x" });
        var streamed = await StreamAsync(host, Params(thinking: true));
        var whole = await host.AnthropicClient().Messages.Create(Params(thinking: true));
        Assert.Equal(ThinkingOf(whole.Content[0]).Signature, ThinkingOf(streamed.Content[0]).Signature);
    }

    [Fact]
    public async Task Reasoning_then_tools()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply
        {
            Reasoning = "Need to search.",
            ToolCalls = [new FakeToolCall("search", "{\"q\":\"deepseek \\\"v4\\\"\"}", "call_00_s")],
            ChunkSize = 3,
        });
        var message = await StreamAsync(host, Params(thinking: true, tools: "search"));
        Assert.Equal(2, message.Content.Count);
        Assert.Equal("Need to search.", ThinkingOf(message.Content[0]).Thinking);
        var tool = ToolOf(message.Content[1]);
        Assert.Equal("call_00_s", tool.ID);
        Assert.Equal("search", tool.Name);
        Assert.Equal("deepseek \"v4\"", tool.Input["q"].GetString());
        Assert.Equal(StopReason.ToolUse, message.StopReason!.Value());
    }

    [Fact]
    public async Task Text_then_tools()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply
        {
            Content = "Let me look that up.",
            ToolCalls = [new FakeToolCall("search", "{\"q\":\"weather\"}")],
            ChunkSize = 5,
        });
        var message = await StreamAsync(host, Params(tools: "search"));
        Assert.Equal(2, message.Content.Count);
        Assert.Equal("Let me look that up.", TextOf(message.Content[0]));
        var tool = ToolOf(message.Content[1]);
        Assert.Equal("weather", tool.Input["q"].GetString());
        Assert.StartsWith("call_00_", tool.ID, StringComparison.Ordinal);
        Assert.Equal(StopReason.ToolUse, message.StopReason!.Value());
    }

    [Fact]
    public async Task Parallel_interleaved_tools_keep_their_inputs()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply
        {
            ToolCalls =
            [
                new FakeToolCall("search", "{\"q\":\"first query with some length\",\"n\":[1,2,3]}", "call_00_a"),
                new FakeToolCall("fetch", "{\"q\":\"second {tricky} \\\"one\\\"\"}", "call_01_b"),
            ],
            ToolCallInterleave = true,
            ChunkSize = 2,
        });
        var message = await StreamAsync(host, Params(tools: ["search", "fetch"]));
        Assert.Equal(2, message.Content.Count);
        var a = ToolOf(message.Content[0]);
        var b = ToolOf(message.Content[1]);
        Assert.Equal(("call_00_a", "search"), (a.ID, a.Name));
        Assert.Equal(("call_01_b", "fetch"), (b.ID, b.Name));
        Assert.Equal("first query with some length", a.Input["q"].GetString());
        Assert.Equal(3, a.Input["n"].GetArrayLength());
        Assert.Equal("second {tricky} \"one\"", b.Input["q"].GetString());
        Assert.Equal(StopReason.ToolUse, message.StopReason!.Value());
    }

    [Fact]
    public async Task Parallel_interleaved_tools_raw_wire_is_well_formed()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply
        {
            Reasoning = "two calls",
            ToolCalls =
            [
                new FakeToolCall("search", "{\"q\":\"aaaaaaaaaaaa\"}"),
                new FakeToolCall("fetch", "{\"q\":\"bbbbbbbbbbbb\"}"),
                new FakeToolCall("search", "{}"),
            ],
            ToolCallInterleave = true,
            ChunkSize = 3,
        });
        var events = AssertWellFormedStream(await RawStreamAsync(host, ToolsBody(true, "search", "fetch")));
        var blocks = BlocksOf(events);
        Assert.Equal(["thinking", "tool_use", "tool_use", "tool_use"], blocks.Select(b => b.Type));
        Assert.Equal("aaaaaaaaaaaa", JsonNode.Parse(blocks[1].Text)!["q"]!.GetValue<string>());
        Assert.Equal("bbbbbbbbbbbb", JsonNode.Parse(blocks[2].Text)!["q"]!.GetValue<string>());
        Assert.True(blocks[3].Text.Length == 0 || JsonNode.Parse(blocks[3].Text) is JsonObject { Count: 0 });
        Assert.Equal("tool_use", Str(events[^2].Json!["delta"]!["stop_reason"]));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("")]
    public async Task Empty_tool_arguments_give_empty_input(string arguments)
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Tools(new FakeToolCall("search", arguments, "call_00_e")));
        var message = await StreamAsync(host, Params(tools: "search"));
        var tool = ToolOf(Assert.Single(message.Content));
        Assert.Equal("call_00_e", tool.ID);
        Assert.Empty(tool.Input);

        host.Upstream.Enqueue(FakeReply.Tools(new FakeToolCall("search", arguments, "call_00_f")));
        var events = AssertWellFormedStream(await RawStreamAsync(host, ToolsBody(false, "search")));
        var json = string.Concat(events.Where(e => e.Event == "content_block_delta").Select(e => Str(e.Json!["delta"]!["partial_json"])));
        Assert.True(json.Length == 0 || JsonNode.Parse(json) is JsonObject { Count: 0 }, $"concatenated partial_json '{json}' is not empty or {{}}");

        host.Upstream.Enqueue(FakeReply.Tools(new FakeToolCall("search", arguments, "call_00_g")));
        var whole = await host.AnthropicClient().Messages.Create(Params(tools: "search"));
        Assert.Empty(ToolOf(Assert.Single(whole.Content)).Input);
    }

    [Fact]
    public async Task Stop_sequence_split_across_chunks()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "alpha beta <|END|> gamma delta", ChunkSize = 2 });
        var p = Params() with { StopSequences = ["<|END|>", "zzz"] };
        var message = await StreamAsync(host, p);
        Assert.Equal("alpha beta ", TextOf(Assert.Single(message.Content)));
        Assert.Equal(StopReason.StopSequence, message.StopReason!.Value());
        Assert.Equal("<|END|>", message.StopSequence);
        Assert.Null(host.Upstream.LastRequest.Json!["stop"]);

        host.Upstream.Enqueue(new FakeReply { Content = "alpha beta <|END|> gamma delta", ChunkSize = 1 });
        var body = SimpleBody();
        body["stop_sequences"] = new JsonArray("<|END|>");
        var events = AssertWellFormedStream(await RawStreamAsync(host, body));
        Assert.Equal("alpha beta ", BlocksOf(events).Single().Text);
        Assert.Equal("stop_sequence", Str(events[^2].Json!["delta"]!["stop_reason"]));
        Assert.Equal("<|END|>", Str(events[^2].Json!["delta"]!["stop_sequence"]));
    }

    [Fact]
    public async Task Stop_sequence_prefix_at_end_is_flushed()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "ends with <|EN", ChunkSize = 3 });
        var message = await StreamAsync(host, Params() with { StopSequences = ["<|END|>"] });
        Assert.Equal("ends with <|EN", TextOf(Assert.Single(message.Content)));
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        Assert.Null(message.StopSequence);
    }

    [Fact]
    public async Task Usage_on_last_chunk_is_mapped_in_message_delta()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "counted", PromptTokens = 500, CacheHitTokens = 128, CompletionTokens = 33 });
        var message = await StreamAsync(host, Params());
        Assert.Equal(372, message.Usage.InputTokens);
        Assert.Equal(128, message.Usage.CacheReadInputTokens);
        Assert.Equal(33, message.Usage.OutputTokens);

        host.Upstream.Enqueue(new FakeReply { Content = "counted", PromptTokens = 500, CacheHitTokens = 128, CompletionTokens = 33 });
        var events = AssertWellFormedStream(await RawStreamAsync(host, SimpleBody()));
        var usage = events[^2].Json!["usage"]!;
        Assert.Equal(33, usage["output_tokens"]!.GetValue<int>());
        Assert.Equal(372, usage["input_tokens"]!.GetValue<int>());
        Assert.Equal(128, usage["cache_read_input_tokens"]!.GetValue<int>());
        Assert.True(host.Upstream.LastRequest.Json!["stream_options"]?["include_usage"]?.GetValue<bool>() == true);
    }

    [Fact]
    public async Task Raw_sse_wire_format_thinking_text_tools()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply
        {
            Reasoning = "Reasoning here.",
            Content = "Some text.",
            ToolCalls = [new FakeToolCall("search", "{\"q\":\"x\"}", "call_00_w")],
            ChunkSize = 3,
            KeepAliveCount = 2,
        });
        var answer = await PostJsonAsync(host, "/v1/messages", ToolsBody(true, "search"));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.NotNull(answer.Header("request-id"));
        Assert.Contains("event: message_start\ndata: {", answer.Body, StringComparison.Ordinal);
        var events = AssertWellFormedStream(ParseSse(answer.Body));
        var blocks = BlocksOf(events);
        Assert.Equal(["thinking", "text", "tool_use"], blocks.Select(b => b.Type));
        Assert.Equal("Reasoning here.", blocks[0].Text);
        Assert.Equal("Some text.", blocks[1].Text);
        Assert.Equal("x", JsonNode.Parse(blocks[2].Text)!["q"]!.GetValue<string>());
        Assert.Equal("call_00_w", Str(blocks[2].Block!["id"]));
        Assert.Equal("search", Str(blocks[2].Block!["name"]));
        var sig = events.Single(e => Str(e.Json!["delta"]?["type"]) == "signature_delta");
        Assert.StartsWith("sy1.", Str(sig.Json!["delta"]!["signature"]), StringComparison.Ordinal);
        // Each data line is one line of JSON.
        foreach (var line in answer.Body.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)))
        {
            Assert.NotNull(JsonNode.Parse(line[5..]));
        }
    }

    [Fact]
    public async Task Upstream_cut_mid_text_ends_with_error_event()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "This answer will be cut somewhere in the middle of it.", ChunkSize = 3, CutAfterChunks = 5 });
        var events = await RawStreamAsync(host, SimpleBody());
        Assert.Equal("message_start", events[0].Event);
        Assert.DoesNotContain(events, e => e.Event == "message_stop");
        Assert.DoesNotContain(events, e => e.Event == "message_delta");
        var last = events[^1];
        Assert.Equal("error", last.Event);
        Assert.Equal("error", last.Type);
        Assert.Equal("api_error", Str(last.Json!["error"]!["type"]));
        Assert.False(string.IsNullOrEmpty(Str(last.Json["error"]!["message"])));

        host.Upstream.Enqueue(new FakeReply { Content = "This answer will be cut somewhere in the middle of it.", ChunkSize = 3, CutAfterChunks = 5 });
        await Assert.ThrowsAnyAsync<Exception>(() => StreamAsync(host, Params()));
    }

    [Fact]
    public async Task Malformed_chunk_ends_with_error_event()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "Some content that streams for a while.", ChunkSize = 3, MalformedChunkAfter = 3 });
        var events = await RawStreamAsync(host, SimpleBody());
        Assert.Equal("message_start", events[0].Event);
        Assert.DoesNotContain(events, e => e.Event == "message_stop");
        var last = events[^1];
        Assert.Equal("error", last.Event);
        Assert.Equal("api_error", Str(last.Json!["error"]!["type"]));
    }

    [Fact]
    public async Task Upstream_429_before_stream_is_http_429()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Error(429, headers: new Dictionary<string, string> { ["retry-after"] = "3" }));
        var body = SimpleBody(stream: true);
        var answer = await PostJsonAsync(host, "/v1/messages", body);
        Assert.Equal(HttpStatusCode.TooManyRequests, answer.Status);
        Assert.StartsWith("application/json", answer.ContentHeaders.ContentType!.ToString(), StringComparison.Ordinal);
        AssertErrorEnvelope(answer, "rate_limit_error");
        Assert.Equal("3", answer.Header("retry-after"));

        host.Upstream.Enqueue(FakeReply.Error(429));
        await Assert.ThrowsAsync<AnthropicRateLimitException>(() => StreamAsync(host, Params()));
    }

    [Theory]
    [InlineData(400, 400, "invalid_request_error")]
    [InlineData(503, 529, "overloaded_error")]
    public async Task Upstream_errors_before_stream_are_http_errors(int upstreamStatus, int status, string type)
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Error(upstreamStatus));
        var answer = await PostJsonAsync(host, "/v1/messages", SimpleBody(stream: true));
        Assert.Equal((HttpStatusCode)status, answer.Status);
        AssertErrorEnvelope(answer, type);
    }

    [Fact]
    public async Task Insufficient_resource_mid_stream_is_overloaded_error_event()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "partial answer", FinishReason = "insufficient_system_resource" });
        var events = await RawStreamAsync(host, SimpleBody());
        Assert.Equal("error", events[^1].Event);
        Assert.Equal("overloaded_error", Str(events[^1].Json!["error"]!["type"]));
        Assert.DoesNotContain(events, e => e.Event == "message_stop");
    }

    [Fact]
    public async Task Client_disconnect_cancels_upstream()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = new string('z', 400), ChunkSize = 2, ChunkDelay = TimeSpan.FromMilliseconds(100) });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent(SimpleBody(stream: true).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", "k");
        var response = await host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stream = await response.Content.ReadAsStreamAsync(cts.Token);
        using var reader = new StreamReader(stream);
        var deltas = 0;
        while (deltas < 3)
        {
            var line = await reader.ReadLineAsync(cts.Token);
            Assert.NotNull(line);
            if (line!.Contains("content_block_delta", StringComparison.Ordinal) && line.StartsWith("event:", StringComparison.Ordinal))
            {
                deltas++;
            }
        }

        Assert.Equal(1, host.Upstream.ActiveRequests);
        await cts.CancelAsync();
        response.Dispose();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (host.Upstream.CancelledRequests < 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(1, host.Upstream.CancelledRequests);
        Assert.Equal(0, host.Upstream.ActiveRequests);
    }

    [Fact]
    public async Task Ping_sent_while_upstream_is_slow()
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:PingInterval"] = "00:00:00.200" });
        host.Upstream.Enqueue(new FakeReply { Content = "slow text", ChunkSize = 5, ChunkDelay = TimeSpan.FromSeconds(1) });
        var events = await RawStreamAsync(host, SimpleBody());
        var list = AssertWellFormedStream(events);
        Assert.Equal("slow text", BlocksOf(list).Single().Text);
        Assert.True(events.Count(e => e.Event == "ping") >= 3, $"only {events.Count(e => e.Event == "ping")} pings in a ~3 s stream with a 200 ms ping interval");
        // There is a ping between the two text deltas (each ~1 s apart).
        var firstDelta = events.FindIndex(e => e.Event == "content_block_delta");
        var secondDelta = events.FindIndex(firstDelta + 1, e => e.Event == "content_block_delta");
        Assert.Contains(events.Skip(firstDelta).Take(secondDelta - firstDelta), e => e.Event == "ping");
    }

    [Fact]
    public async Task Max_tokens_zero_streams_empty_message()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "hidden", Reasoning = "hidden too" });
        var body = SimpleBody(maxTokens: 0);
        var events = await RawStreamAsync(host, body);
        Assert.Equal("message_start", events[0].Event);
        Assert.Equal("message_stop", events[^1].Event);
        Assert.DoesNotContain(events, e => e.Event == "content_block_start");
        Assert.Equal("max_tokens", Str(events.Single(e => e.Event == "message_delta").Json!["delta"]!["stop_reason"]));
        Assert.Equal(1, host.Upstream.LastRequest.Json!["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Length_finish_reason_with_cut_tool_call_still_gives_valid_json()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply
        {
            ToolCalls = [new FakeToolCall("search", "{\"q\":\"unterminated")],
            FinishReason = "length",
        });
        var events = AssertWellFormedStream(await RawStreamAsync(host, ToolsBody(false, "search")));
        var tool = BlocksOf(events).Single();
        Assert.IsType<JsonObject>(JsonNode.Parse(tool.Text));
        Assert.Equal("max_tokens", Str(events[^2].Json!["delta"]!["stop_reason"]));
    }
}
