using System.Net;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Models.Messages;
using Switchyard.Tests.Fakes;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Resilience;

/// <summary>Streams that break after output started are continued with chat prefix completion; the client sees one message.</summary>
public sealed class StreamContinuationTests
{
    private const string Text = "The quick brown fox jumps over the lazy dog, and then it runs far away into the forest.";
    private const string Reasoning = "First I consider the fox. Then I consider the dog. Finally I write the sentence.";

    private static MessageCreateParams Params(bool thinking = false) => new()
    {
        Model = "claude-sonnet-4-5",
        MaxTokens = 4096,
        Messages = [new UserMessageParam { Content = "tell me" }],
        Thinking = thinking ? new ThinkingConfigEnabled(1024) : new ThinkingConfigDisabled(),
    };

    private static JsonObject LastMessage(JsonNode request) => (JsonObject)request["messages"]!.AsArray()[^1]!;

    [Fact]
    public async Task A_stream_cut_mid_text_is_continued_and_the_client_sees_one_whole_message()
    {
        await using var p = await TwoProviders.StartAsync();
        p.Primary.Enqueue(new FakeReply { Content = Text, ChunkSize = 4, CutAfterChunks = 6 });
        p.Primary.Enqueue(request =>
        {
            var prefix = LastMessage(request)["content"]!.GetValue<string>();
            return new FakeReply { Content = Text[prefix.Length..], ChunkSize = 5 };
        });

        var message = await p.Host.AnthropicClient().Messages.CreateStreaming(Params()).Aggregate();

        Assert.True(Assert.Single(message.Content).TryPickText(out var text));
        Assert.Equal(Text, text!.Text);
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        var continuation = p.Primary.Requests[^1];
        Assert.Equal("/beta/chat/completions", continuation.Path);
        var last = LastMessage(continuation.Json!);
        Assert.Equal("assistant", last["role"]!.GetValue<string>());
        Assert.True(last["prefix"]!.GetValue<bool>());
        Assert.StartsWith(last["content"]!.GetValue<string>(), Text, StringComparison.Ordinal);
        Assert.True(message.Usage.OutputTokens > 1);
    }

    [Fact]
    public async Task A_stream_cut_mid_reasoning_is_continued_with_reasoning_content()
    {
        await using var p = await TwoProviders.StartAsync();
        p.Primary.Enqueue(new FakeReply { Reasoning = Reasoning, Content = "Done.", ChunkSize = 4, CutAfterChunks = 5 });
        p.Primary.Enqueue(request =>
        {
            var last = LastMessage(request);
            var reasoningSoFar = last["reasoning_content"]!.GetValue<string>();
            Assert.Equal(string.Empty, last["content"]!.GetValue<string>());
            return new FakeReply { Reasoning = Reasoning[reasoningSoFar.Length..], Content = "Done.", ChunkSize = 4 };
        });

        var message = await p.Host.AnthropicClient().Messages.CreateStreaming(Params(thinking: true)).Aggregate();

        Assert.Equal(2, message.Content.Count);
        Assert.True(message.Content[0].TryPickThinking(out var thinking));
        Assert.Equal(Reasoning, thinking!.Thinking);
        Assert.StartsWith("sy1.", thinking.Signature, StringComparison.Ordinal);
        Assert.True(message.Content[1].TryPickText(out var text));
        Assert.Equal("Done.", text!.Text);
        Assert.Equal(2, p.Primary.Requests.Count);
    }

    [Fact]
    public async Task A_malformed_chunk_is_continued_on_the_fallback_provider()
    {
        await using var p = await TwoProviders.StartAsync(new Dictionary<string, string?> { ["Switchyard:Resilience:MaxRetries"] = "0" });
        p.Primary.Enqueue(new FakeReply { Content = Text, ChunkSize = 4, MalformedChunkAfter = 4 });
        // The continuation's first attempt (same provider) fails; the backup continues.
        p.Primary.Enqueue(FakeReply.Error(503));
        p.Backup.Enqueue(request => new FakeReply { Content = Text[LastMessage(request)["content"]!.GetValue<string>().Length..] });

        var message = await p.Host.AnthropicClient().Messages.CreateStreaming(Params()).Aggregate();

        Assert.True(Assert.Single(message.Content).TryPickText(out var text));
        Assert.Equal(Text, text!.Text);
        Assert.Single(p.Backup.Requests);
    }

    [Fact]
    public async Task A_stream_cut_mid_tool_call_ends_with_a_clean_error_event()
    {
        await using var p = await TwoProviders.StartAsync();
        p.Primary.Enqueue(new FakeReply
        {
            ToolCalls = [new FakeToolCall("search", "{\"q\":\"a rather long query that will be cut in the middle\"}", "call_00_x")],
            ChunkSize = 4,
            CutAfterChunks = 5,
        });
        var body = SimpleBody("use tools", stream: true);
        body["tools"] = new JsonArray(new JsonObject { ["name"] = "search", ["input_schema"] = new JsonObject { ["type"] = "object" } });

        var answer = await PostJsonAsync(p.Host, "/v1/messages", body);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var events = ParseSse(answer.Body);
        Assert.Equal("error", events[^1].Event);
        Assert.DoesNotContain(events, e => e.Event == "message_stop");
        Assert.Single(p.Primary.Requests);
        Assert.Empty(p.Backup.Requests);
    }

    [Fact]
    public async Task Without_prefix_completion_the_client_gets_the_error_event()
    {
        await using var p = await TwoProviders.StartAsync(new Dictionary<string, string?>
        {
            ["Switchyard:Upstream:SupportsPrefixCompletion"] = "false",
            ["Switchyard:Providers:0:SupportsPrefixCompletion"] = "false",
        });
        p.Primary.Enqueue(new FakeReply { Content = Text, ChunkSize = 4, CutAfterChunks = 6 });

        var answer = await PostJsonAsync(p.Host, "/v1/messages", SimpleBody("hi", stream: true));

        var events = ParseSse(answer.Body);
        Assert.Equal("error", events[^1].Event);
        Assert.Single(p.Primary.Requests);
    }
}
