using System.Net;
using System.Text.Json.Nodes;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Lanes.MessagesToChat;

/// <summary>Real Claude Code requests (captured), sent as they are.</summary>
public sealed class ClaudeCodeFixtureTests
{
    private const string First = "first-request.json";
    private const string ToolTurn = "tool-result-turn.json";

    private static async Task<RawAnswer> SendFixtureAsync(GatewayHost host, string name, bool? stream = null)
    {
        var fixture = LoadFixture(name);
        string? body = null;
        if (stream is { } s)
        {
            var b = (JsonObject)fixture["body"]!.DeepClone();
            b["stream"] = s;
            body = b.ToJsonString();
        }

        using var request = FixtureRequest(fixture, body);
        return await SendAsync(host.Http, request);
    }

    private static void AssertCommonUpstream(GatewayHost host)
    {
        var up = host.Upstream.LastRequest.Json!;
        Assert.Equal("deepseek-v4-pro", Str(up["model"]));
        Assert.Equal("enabled", Str(up["thinking"]?["type"]));
        Assert.Equal("high", Str(up["reasoning_effort"]));
        Assert.Equal(32000, up["max_tokens"]!.GetValue<int>());
        Assert.Null(up["stop"]);
        Assert.Null(up["context_management"]);
        Assert.Null(up["metadata"]);
        Assert.Matches("^[a-zA-Z0-9_-]{1,512}$", Str(up["user_id"])!);
        Assert.Equal(24, ((JsonArray)up["tools"]!).Count);
        Assert.Null(up["tool_choice"]);
        Assert.DoesNotContain("x-anthropic-billing-header", host.Upstream.LastRequest.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("cc_version", host.Upstream.LastRequest.Body, StringComparison.Ordinal);

        var msgs = (JsonArray)up["messages"]!;
        Assert.Equal("system", Str(msgs[0]!["role"]));
        Assert.StartsWith("You are a Claude agent, built on Anthropic's Claude Agent SDK.", Str(msgs[0]!["content"]), StringComparison.Ordinal);
        Assert.Equal("user", Str(msgs[1]!["role"]));
        Assert.Contains("<system-reminder>", Str(msgs[1]!["content"]), StringComparison.Ordinal);
        // The mid-conversation system message stays where it was (after the first user turn).
        Assert.Equal("system", Str(msgs[2]!["role"]));
        Assert.StartsWith("Available agent types for the Agent tool:", Str(msgs[2]!["content"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task First_request_streams()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Text("Hi! How can I help?", reasoning: "The user says hi."));
        var answer = await SendFixtureAsync(host, First);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.StartsWith("text/event-stream", answer.ContentHeaders.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.NotNull(answer.Header("request-id"));
        var events = AssertWellFormedStream(ParseSse(answer.Body));
        var blocks = BlocksOf(events);
        Assert.Equal(["thinking", "text"], blocks.Select(b => b.Type));
        Assert.Equal("The user says hi.", blocks[0].Text);
        Assert.Equal("Hi! How can I help?", blocks[1].Text);
        Assert.Equal("end_turn", Str(events[^2].Json!["delta"]!["stop_reason"]));

        AssertCommonUpstream(host);
        var up = host.Upstream.LastRequest.Json!;
        Assert.Equal("/chat/completions", host.Upstream.LastRequest.Path);
        Assert.Equal(3, ((JsonArray)up["messages"]!).Count);
        Assert.True(up["stream"]!.GetValue<bool>());
        Assert.Null(host.Upstream.LastRequest.Header("x-api-key"));
        Assert.Equal("Bearer " + host.Upstream.ApiKey, host.Upstream.LastRequest.Header("authorization"));
    }

    [Fact]
    public async Task Tool_result_turn_streams_and_replays_thinking()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Text("Done: wrote out.txt.", reasoning: "File written."));
        var answer = await SendFixtureAsync(host, ToolTurn);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var events = AssertWellFormedStream(ParseSse(answer.Body));
        Assert.Equal("Done: wrote out.txt.", BlocksOf(events).Single(b => b.Type == "text").Text);

        AssertCommonUpstream(host);
        var msgs = (JsonArray)host.Upstream.LastRequest.Json!["messages"]!;
        Assert.Equal(5, msgs.Count);
        var assistant = msgs[3]!;
        Assert.Equal("assistant", Str(assistant["role"]));
        Assert.Equal("I should write the file.", Str(assistant["reasoning_content"]));
        var call = Assert.Single((JsonArray)assistant["tool_calls"]!)!;
        Assert.Equal("toolu_01", Str(call["id"]));
        Assert.Equal("function", Str(call["type"]));
        Assert.Equal("Write", Str(call["function"]!["name"]));
        var args = JsonNode.Parse(Str(call["function"]!["arguments"])!)!;
        Assert.Equal("/home/user/project/out.txt", Str(args["file_path"]));
        Assert.Equal("written by tool\n", Str(args["content"]));
        var tool = msgs[4]!;
        Assert.Equal("tool", Str(tool["role"]));
        Assert.Equal("toolu_01", Str(tool["tool_call_id"]));
        Assert.StartsWith("File created successfully at: /home/user/project/out.txt", Str(tool["content"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(First)]
    [InlineData(ToolTurn)]
    public async Task Fixtures_without_stream_return_json(string name)
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Text("json answer", reasoning: "thinking it over"));
        var answer = await SendFixtureAsync(host, name, stream: false);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.StartsWith("application/json", answer.ContentHeaders.ContentType!.ToString(), StringComparison.Ordinal);
        var json = answer.Json!;
        Assert.Equal("message", Str(json["type"]));
        Assert.Equal("end_turn", Str(json["stop_reason"]));
        var content = (JsonArray)json["content"]!;
        Assert.Equal("thinking", Str(content[0]!["type"]));
        Assert.Equal("thinking it over", Str(content[0]!["thinking"]));
        Assert.StartsWith("sy1.", Str(content[0]!["signature"]), StringComparison.Ordinal);
        Assert.Equal("json answer", Str(content[1]!["text"]));
        AssertCommonUpstream(host);
        Assert.NotEqual(true, host.Upstream.LastRequest.Json!["stream"]?.GetValue<bool>());
    }

    [Theory]
    [InlineData(First)]
    [InlineData(ToolTurn)]
    public async Task Fixtures_count_tokens(string name)
    {
        await using var host = await GatewayHost.StartAsync();
        var fixture = LoadFixture(name);
        var body = (JsonObject)fixture["body"]!.DeepClone();
        body.Remove("stream");
        body.Remove("max_tokens");
        fixture["url"] = "/v1/messages/count_tokens?beta=true";
        using var request = FixtureRequest(fixture, body.ToJsonString());
        var answer = await SendAsync(host.Http, request);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.InRange(answer.Json!["input_tokens"]!.GetValue<int>(), 1000, 200_000);
        Assert.Empty(host.Upstream.Requests);
    }
}
