#pragma warning disable SCME0001 // JsonPatch (additional request properties) is experimental in the SDK
using System.Text;
using System.Text.Json.Nodes;
using OpenAI.Chat;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using static Switchyard.Tests.Lanes.ChatToChat.OpenAIFrontSupport;

namespace Switchyard.Tests.Lanes.ChatToChat;

/// <summary>
/// DeepSeek V4 answers 400 when an assistant tool-call turn comes back without its <c>reasoning_content</c>, which
/// is what the OpenAI SDK does. Switchyard remembers the reasoning and puts it back. The fake enforces the V4 rule.
/// </summary>
public sealed class ReasoningMemoryTests
{
    private const string Reasoning = "The user wants the weather; I must call get_weather for Paris first.";

    private static ChatCompletionOptions ThinkingOptions()
    {
        var options = ChatSdkTests.WeatherOptions();
        options.Patch.Set("$.thinking"u8, BinaryData.FromString("""{"type":"enabled"}"""));
        return options;
    }

    [Fact]
    public async Task Tool_loop_where_the_sdk_drops_reasoning_content_succeeds_and_the_upstream_gets_the_original_reasoning()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Reasoning = Reasoning, ToolCalls = [new FakeToolCall("get_weather", """{"city":"Paris"}""", "call_weather_1")] });
        host.Upstream.Enqueue(new FakeReply { Reasoning = "Now answer.", Content = "It is 18°C in Paris." });
        var client = Chat(host, "deepseek-v4-flash");
        var messages = new List<ChatMessage> { new UserChatMessage("Weather in Paris?") };

        ChatCompletion first = await client.CompleteChatAsync(messages, ThinkingOptions());
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        Assert.Equal("call_weather_1", first.ToolCalls[0].Id);
        Assert.Equal("enabled", host.Upstream.LastRequest.Json!["thinking"]!["type"]!.GetValue<string>());

        // What every OpenAI SDK user writes: the assistant message built from the completion (no reasoning_content).
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage("call_weather_1", "18°C, sunny"));
        var second = await client.CompleteChatAsync(messages, ThinkingOptions());

        Assert.Equal("It is 18°C in Paris.", second.Value.Content[0].Text);
        Assert.Equal("1", Header(second, "x-switchyard-reasoning-restored"));
        var sent = host.Upstream.LastRequest.Json!;
        var assistant = sent["messages"]![1]!;
        Assert.Equal("assistant", assistant["role"]!.GetValue<string>());
        Assert.Equal(Reasoning, assistant["reasoning_content"]!.GetValue<string>());
        Assert.Equal("call_weather_1", assistant["tool_calls"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("tool", sent["messages"]![2]!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task Streamed_tool_loop_where_the_client_drops_reasoning_content_is_restored_too()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply
        {
            Reasoning = Reasoning,
            ToolCalls = [new FakeToolCall("get_weather", """{"city":"Paris"}""", "call_s1"), new FakeToolCall("get_time", """{"timezone":"CET"}""", "call_s2")],
            ChunkSize = 5,
            KeepAliveCount = 1,
        });
        host.Upstream.Enqueue(new FakeReply { Reasoning = "Done.", Content = "Sunny, 10:00.", ChunkSize = 5 });
        var client = Chat(host, "deepseek-v4-flash");
        var messages = new List<ChatMessage> { new UserChatMessage("Weather and time?") };

        var reasoning = new StringBuilder();
        var calls = new SortedDictionary<int, (string Id, string Name, StringBuilder Args)>();
        await foreach (var update in client.CompleteChatStreamingAsync(messages, ThinkingOptions()))
        {
            if (update.Patch.TryGetValue("$.choices[0].delta.reasoning_content"u8, out string? piece) && piece is not null)
            {
                reasoning.Append(piece);
            }

            foreach (var call in update.ToolCallUpdates)
            {
                if (!calls.TryGetValue(call.Index, out var entry))
                {
                    calls[call.Index] = entry = (call.ToolCallId, call.FunctionName, new StringBuilder());
                }

                entry.Args.Append(call.FunctionArgumentsUpdate?.ToString());
            }
        }

        Assert.Equal(2, calls.Count);
        messages.Add(new AssistantChatMessage(calls.Values.Select(c =>
            ChatToolCall.CreateFunctionToolCall(c.Id, c.Name, BinaryData.FromString(c.Args.ToString()))).ToList()));
        messages.Add(new ToolChatMessage("call_s1", "sunny"));
        messages.Add(new ToolChatMessage("call_s2", "10:00"));
        var text = new StringBuilder();
        await foreach (var update in client.CompleteChatStreamingAsync(messages, ThinkingOptions()))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.Equal("Sunny, 10:00.", text.ToString());
        var assistant = host.Upstream.LastRequest.Json!["messages"]![1]!;
        Assert.Equal(Reasoning, assistant["reasoning_content"]!.GetValue<string>());
        Assert.Equal(2, assistant["tool_calls"]!.AsArray().Count);
    }

    [Fact]
    public async Task Raw_replay_reports_the_restored_turn_count_and_keeps_reasoning_a_client_did_send()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Reasoning = "first reasoning", ToolCalls = [new FakeToolCall("get_weather", """{"city":"A"}""", "call_a")] });
        host.Upstream.Enqueue(new FakeReply { Reasoning = "second reasoning", ToolCalls = [new FakeToolCall("get_weather", """{"city":"B"}""", "call_b")] });
        const string tools = ""","tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]""";
        var r1 = await PostAsync(host, "/chat/completions", """{"model":"deepseek-v4-flash","messages":[{"role":"user","content":"go"}]""" + tools + "}");
        Assert.Equal(System.Net.HttpStatusCode.OK, r1.Status);
        var r2 = await PostAsync(host, "/chat/completions", """
            {"model":"deepseek-v4-flash","messages":[{"role":"user","content":"go"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"A\"}"}}]},
             {"role":"tool","tool_call_id":"call_a","content":"ok"}]
            """ + tools + "}");
        Assert.Equal(System.Net.HttpStatusCode.OK, r2.Status);
        Assert.Equal("1", r2.Header("x-switchyard-reasoning-restored"));

        // Turn 3: the client keeps turn 1's reasoning itself (edited) and drops turn 2's.
        var r3 = await PostAsync(host, "/chat/completions", """
            {"model":"deepseek-v4-flash","messages":[{"role":"user","content":"go"},
             {"role":"assistant","content":null,"reasoning_content":"client kept this","tool_calls":[{"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"A\"}"}}]},
             {"role":"tool","tool_call_id":"call_a","content":"ok"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"call_b","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"B\"}"}}]},
             {"role":"tool","tool_call_id":"call_b","content":"ok"}]
            """ + tools + "}");
        Assert.Equal(System.Net.HttpStatusCode.OK, r3.Status);
        Assert.Equal("1", r3.Header("x-switchyard-reasoning-restored"));
        var sent = host.Upstream.LastRequest.Json!["messages"]!;
        Assert.Equal("client kept this", sent[1]!["reasoning_content"]!.GetValue<string>());
        Assert.Equal("second reasoning", sent[3]!["reasoning_content"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_memory_off_the_upstream_receives_an_empty_reasoning_content_not_the_original()
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:ReasoningMemory:Enabled"] = "false" });
        host.Upstream.Enqueue(new FakeReply { Reasoning = Reasoning, ToolCalls = [new FakeToolCall("get_weather", """{"city":"Paris"}""", "call_off")] });
        host.Upstream.Enqueue(FakeReply.Text("Fine."));
        var client = Chat(host, "deepseek-v4-flash");
        var messages = new List<ChatMessage> { new UserChatMessage("Weather in Paris?") };

        ChatCompletion first = await client.CompleteChatAsync(messages, ThinkingOptions());
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage("call_off", "18°C"));
        var second = await client.CompleteChatAsync(messages, ThinkingOptions());

        Assert.Equal("Fine.", second.Value.Content[0].Text);
        Assert.Null(Header(second, "x-switchyard-reasoning-restored"));
        var assistant = host.Upstream.LastRequest.Json!["messages"]![1]!;
        Assert.Equal("", assistant["reasoning_content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_tool_call_turns_in_non_thinking_mode_are_left_alone()
    {
        await using var host = await GatewayHost.StartAsync();

        var answer = await PostAsync(host, "/chat/completions", """
            {"model":"deepseek-v4-flash","thinking":{"type":"disabled"},"messages":[{"role":"user","content":"go"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"call_unknown","type":"function","function":{"name":"f","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"call_unknown","content":"ok"}]}
            """);

        Assert.Equal(System.Net.HttpStatusCode.OK, answer.Status);
        Assert.Null(host.Upstream.LastRequest.Json!["messages"]![1]!["reasoning_content"]);
    }
}
