using System.Net;
using System.Text.Json.Nodes;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Lanes.MessagesToChat;

/// <summary>
/// Claude Code leaves old thinking blocks out when a session is resumed (--continue, --resume). The reasoning of the
/// tool-call turns it served is remembered by tool-use id and put back, so DeepSeek gets the real reasoning, not "".
/// </summary>
public sealed class ReasoningRestoreTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_resumed_tool_call_turn_without_its_thinking_block_gets_its_reasoning_back(bool stream)
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply
        {
            Reasoning = "The user wants the weather; call the tool.",
            ToolCalls = [new FakeToolCall("get_weather", """{"city":"Paris"}""", "call_00_weather")],
        });
        var tools = JsonNode.Parse("""[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}]""");
        var first = new JsonObject
        {
            ["model"] = "deepseek-v4-flash",
            ["max_tokens"] = 500,
            ["thinking"] = new JsonObject { ["type"] = "enabled", ["budget_tokens"] = 2048 },
            ["stream"] = stream,
            ["tools"] = tools!.DeepClone(),
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Weather in Paris?" }),
        };
        var firstAnswer = await PostJsonAsync(host, "/v1/messages", first);
        Assert.True(firstAnswer.Status == HttpStatusCode.OK, firstAnswer.Body);

        // The resumed session: the assistant turn comes back with its tool_use block and no thinking block.
        var resumed = first.DeepClone().AsObject();
        resumed["stream"] = false;
        resumed["messages"] = new JsonArray(
            new JsonObject { ["role"] = "user", ["content"] = "Weather in Paris?" },
            new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = new JsonArray(new JsonObject
                {
                    ["type"] = "tool_use", ["id"] = "call_00_weather", ["name"] = "get_weather", ["input"] = new JsonObject { ["city"] = "Paris" },
                }),
            },
            new JsonObject
            {
                ["role"] = "user",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = "call_00_weather", ["content"] = "Sunny, 21°C" }),
            });
        host.Upstream.Enqueue(FakeReply.Text("It is sunny in Paris."));

        var answer = await PostJsonAsync(host, "/v1/messages", resumed);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("1", answer.Header("x-switchyard-reasoning-restored"));
        var assistant = UpstreamMessages(host)[1]!;
        Assert.Equal("The user wants the weather; call the tool.", Str(assistant["reasoning_content"]));
    }
}
