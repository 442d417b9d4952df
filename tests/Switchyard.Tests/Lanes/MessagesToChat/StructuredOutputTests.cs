using System.Net;
using System.Text.Json.Nodes;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Lanes.MessagesToChat;

/// <summary>
/// <c>output_config.format</c> (the AI SDK's generateObject with a Claude model name sends it) on DeepSeek: asked as a
/// forced function call, checked, repaired once, answered as a text block holding the JSON, as JSON or a stream.
/// </summary>
public sealed class StructuredOutputTests
{
    private static JsonObject Body(bool stream, bool thinking = false) => new()
    {
        ["model"] = "claude-sonnet-4-5",
        ["max_tokens"] = 400,
        ["stream"] = stream,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Biggest city of France?" }),
        ["output_config"] = new JsonObject
        {
            ["format"] = new JsonObject
            {
                ["type"] = "json_schema",
                ["schema"] = JsonNode.Parse("""{"type":"object","properties":{"city":{"type":"string"},"population":{"type":"integer"}},"required":["city","population"],"additionalProperties":false}"""),
            },
        },
        ["thinking"] = thinking ? new JsonObject { ["type"] = "adaptive" } : null,
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_schema_is_served_and_answered_as_a_text_block_holding_the_json(bool stream)
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { ToolCalls = [new FakeToolCall("structured_output", """{"city":"Paris"}""")] });
        host.Upstream.Enqueue(new FakeReply { ToolCalls = [new FakeToolCall("structured_output", """{"city":"Paris","population":2100000}""")] });

        var answer = await PostJsonAsync(host, "/v1/messages", Body(stream, thinking: true));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("strict-tool", answer.Header("x-switchyard-structured-output"));
        Assert.Equal("disabled-for-structured-output", answer.Header("x-switchyard-thinking"));
        string text;
        if (stream)
        {
            var events = ParseSse(answer.Body);
            text = string.Concat(BlocksOf(AssertWellFormedStream(events)).Where(b => b.Type == "text").Select(b => b.Text));
        }
        else
        {
            var content = JsonNode.Parse(answer.Body)!["content"]!.AsArray();
            text = Assert.Single(content, b => (string?)b!["type"] == "text")!["text"]!.GetValue<string>();
            Assert.DoesNotContain(content, b => (string?)b!["type"] == "tool_use");
            Assert.Equal("end_turn", (string?)JsonNode.Parse(answer.Body)!["stop_reason"]);
        }

        Assert.Equal("""{"city":"Paris","population":2100000}""", text);
        Assert.Equal(2, host.Upstream.Requests.Count);
        var sent = host.Upstream.Requests[0].Json!;
        Assert.Equal("/beta/chat/completions", host.Upstream.Requests[0].Path);
        Assert.Equal("structured_output", (string?)sent["tool_choice"]!["function"]!["name"]);
        Assert.Equal("disabled", (string?)sent["thinking"]!["type"]);
        Assert.False(sent["stream"]?.GetValue<bool>() ?? false);
    }
}
