using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using Switchyard.Tests.Lanes.ChatToChat;
using Switchyard.Tests.ResponsesApi;
using static Switchyard.Tests.Lanes.ChatToChat.OpenAIFrontSupport;

namespace Switchyard.Tests.Lanes.ResponsesToMessages;

/// <summary>
/// Responses clients of a model served by an Anthropic-format upstream: the request goes through the Chat → Messages
/// translation, the answer back through Chat chunks into the Responses state machine.
/// </summary>
public sealed class ResponsesOverAnthropicTests
{
    private const string Model = "claude-sonnet-4-5";
    private const string Weather = """[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}]""";

    private static List<JsonElement> Events(OpenAIRawAnswer answer) =>
        answer.DataPayloads().Select(d => JsonDocument.Parse(d).RootElement).ToList();

    [Fact]
    public async Task A_plain_request_is_translated_both_ways_with_cache_usage()
    {
        await using var stack = await AnthropicStack.StartAsync();
        stack.Anthropic.Enqueue(FakeAnthropicReply.Json(AnthropicScripts.Message(Model, """[{"type":"text","text":"Bonjour."}]""", "end_turn", input: 10, output: 4, cacheRead: 30)));

        var answer = await PostAsync(stack.Host, "/v1/responses", """{"model":"claude-sonnet-4-5","instructions":"Be French.","input":"Hello","max_output_tokens":300}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var response = answer.Json!;
        Assert.Equal("completed", (string?)response["status"]);
        Assert.Equal(Model, (string?)response["model"]);
        Assert.Equal("Bonjour.", (string?)response["output"]![0]!["content"]![0]!["text"]);
        Assert.Equal(40, (int?)response["usage"]!["input_tokens"]);
        Assert.Equal(30, (int?)response["usage"]!["input_tokens_details"]!["cached_tokens"]);
        Assert.Equal(4, (int?)response["usage"]!["output_tokens"]);
        Assert.Equal("anthropic", answer.Header("x-switchyard-provider"));

        var sent = stack.Anthropic.LastRequest;
        Assert.Equal("/v1/messages", sent.Path);
        Assert.Equal(stack.Anthropic.ApiKey, sent.Header("x-api-key"));
        var body = sent.Json!;
        Assert.Equal(300, (int?)body["max_tokens"]);
        Assert.Equal("Be French.", (string?)body["system"]![0]!["text"]);
        Assert.Equal("Hello", (string?)body["messages"]![0]!["content"]![0]!["text"]);
        Assert.Null(body["thinking"]);
        Assert.Empty(stack.Host.Upstream.Requests);
    }

    [Fact]
    public async Task A_streamed_tool_turn_keeps_its_signed_thinking_for_the_next_turn_even_when_the_client_drops_it()
    {
        await using var stack = await AnthropicStack.StartAsync();
        stack.Anthropic.Enqueue(FakeAnthropicReply.Sse(AnthropicScripts.ThinkingToolStream(Model, "I should call the weather tool.", "EqQBCkYIBxgCKkB-signature",
            ("toolu_S1", "get_weather", """{"city":"Paris"}"""))));

        var first = await PostAsync(stack.Host, "/v1/responses", $$"""
            {"model":"claude-sonnet-4-5","input":"Weather in Paris?","tools":{{Weather}},"stream":true,"store":false,
             "reasoning":{"effort":"high","summary":"auto"},"include":["reasoning.encrypted_content"]}
            """);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        var events = Events(first);
        Assert.Empty(ResponsesStreamGrammar.Validate(events));
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "response.reasoning_summary_text.delta");
        var sentFirst = stack.Anthropic.LastRequest.Json!;
        Assert.Equal("enabled", (string?)sentFirst["thinking"]?["type"]);
        Assert.Equal("high", (string?)sentFirst["output_config"]?["effort"]);
        var final = events[^1].GetProperty("response");
        Assert.Equal("completed", final.GetProperty("status").GetString());
        var reasoning = final.GetProperty("output")[0];
        var call = final.GetProperty("output")[1];
        Assert.Equal("I should call the weather tool.", reasoning.GetProperty("summary")[0].GetProperty("text").GetString());
        Assert.StartsWith("sy1r.", reasoning.GetProperty("encrypted_content").GetString(), StringComparison.Ordinal);
        Assert.Equal(("toolu_S1", "get_weather"), (call.GetProperty("call_id").GetString(), call.GetProperty("name").GetString()));

        // Like Codex: the items come back with the tool's output; the thinking block is replayed with its signature.
        var input = new JsonArray(
            JsonNode.Parse("""{"role":"user","content":"Weather in Paris?"}"""),
            JsonNode.Parse(reasoning.GetRawText()),
            JsonNode.Parse(call.GetRawText()),
            JsonNode.Parse("""{"type":"function_call_output","call_id":"toolu_S1","output":"18 °C"}"""));
        foreach (var dropReasoning in new[] { false, true })
        {
            if (dropReasoning)
            {
                input.RemoveAt(1);
            }

            stack.Anthropic.Enqueue(FakeAnthropicReply.Json(AnthropicScripts.Message(Model, """[{"type":"text","text":"18 °C and sunny."}]""", "end_turn")));
            var next = await PostAsync(stack.Host, "/v1/responses", $$$"""
                {"model":"claude-sonnet-4-5","input":{{{input.ToJsonString()}}},"tools":{{{Weather}}},"store":false,"reasoning":{"effort":"high"}}
                """);

            Assert.Equal(HttpStatusCode.OK, next.Status);
            Assert.Equal("18 °C and sunny.", (string?)next.Json!["output"]!.AsArray().Last()!["content"]![0]!["text"]);
            Assert.Null(next.Header("x-switchyard-thinking"));
            var assistant = stack.Anthropic.LastRequest.Json!["messages"]![1]!["content"]!.AsArray();
            Assert.Equal("thinking", (string?)assistant[0]!["type"]);
            Assert.Equal("EqQBCkYIBxgCKkB-signature", (string?)assistant[0]!["signature"]);
            Assert.Equal("toolu_S1", (string?)assistant[1]!["id"]);
            Assert.Equal("toolu_S1", (string?)stack.Anthropic.LastRequest.Json!["messages"]![2]!["content"]![0]!["tool_use_id"]);
        }
    }

    [Fact]
    public async Task Json_schema_and_parallel_tool_calls_false_are_served_by_the_upstream_itself()
    {
        await using var stack = await AnthropicStack.StartAsync();
        stack.Anthropic.Enqueue(FakeAnthropicReply.Json(AnthropicScripts.Message(Model, """[{"type":"text","text":"{\"name\":\"Ada\"}"}]""", "end_turn")));

        const string Person = """{"format":{"type":"json_schema","name":"person","schema":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}}}""";
        var answer = await PostAsync(stack.Host, "/v1/responses",
            $$"""{"model":"claude-sonnet-4-5","input":"Who wrote the first program?","tools":{{Weather}},"parallel_tool_calls":false,"text":{{Person}}}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Null(answer.Header("x-switchyard-structured-output"));
        Assert.False((bool?)answer.Json!["parallel_tool_calls"]);
        var sent = stack.Anthropic.LastRequest.Json!;
        Assert.Equal("json_schema", (string?)sent["output_config"]?["format"]?["type"]);
        Assert.Equal("name", (string?)sent["output_config"]?["format"]?["schema"]?["required"]?[0]);
        Assert.True((bool?)sent["tool_choice"]?["disable_parallel_tool_use"]);
    }

    [Fact]
    public async Task A_forced_call_turns_thinking_off_and_says_so()
    {
        await using var stack = await AnthropicStack.StartAsync();
        stack.Anthropic.Enqueue(FakeAnthropicReply.Json(AnthropicScripts.Message(Model,
            """[{"type":"tool_use","id":"toolu_F","name":"get_weather","input":{"city":"Rome"}}]""", "tool_use")));

        var answer = await PostAsync(stack.Host, "/v1/responses", $$"""
            {"model":"claude-sonnet-4-5","input":"Weather?","tools":{{Weather}},"tool_choice":"required","reasoning":{"effort":"low"} }
            """);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("disabled-for-forced-tool-choice", answer.Header("x-switchyard-thinking"));
        Assert.Equal("function_call", (string?)answer.Json!["output"]![0]!["type"]);
        Assert.Equal("""{"city":"Rome"}""", (string?)answer.Json!["output"]![0]!["arguments"]);
        var sent = stack.Anthropic.LastRequest.Json!;
        Assert.Null(sent["thinking"]);
        Assert.Equal("any", (string?)sent["tool_choice"]?["type"]);
    }

    [Fact]
    public async Task The_user_id_sent_upstream_is_the_gateway_policy_s_opaque_id()
    {
        await using var stack = await AnthropicStack.StartAsync();
        stack.Anthropic.Enqueue(FakeAnthropicReply.Json(AnthropicScripts.Message(Model, """[{"type":"text","text":"Hi."}]""", "end_turn")));

        var answer = await PostAsync(stack.Host, "/v1/responses", """{"model":"claude-sonnet-4-5","input":"Hi","safety_identifier":"alice@example.com"}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Matches("^sy_[0-9a-f]{32}$", (string?)stack.Anthropic.LastRequest.Json!["metadata"]?["user_id"]);
        Assert.DoesNotContain("alice", stack.Anthropic.LastRequest.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Previous_response_id_continues_a_conversation_served_by_anthropic()
    {
        await using var stack = await AnthropicStack.StartAsync();
        stack.Anthropic.Enqueue(FakeAnthropicReply.Json(AnthropicScripts.Message(Model, """[{"type":"text","text":"Nice to meet you, Ada."}]""", "end_turn")));
        var first = await PostAsync(stack.Host, "/v1/responses", """{"model":"claude-sonnet-4-5","input":"I am Ada."}""");
        var id = (string)first.Json!["id"]!;

        stack.Anthropic.Enqueue(FakeAnthropicReply.Sse(AnthropicScripts.TextStream(Model, "You are Ada.")));
        var second = await PostAsync(stack.Host, "/v1/responses", $$"""{"model":"claude-sonnet-4-5","input":"Who am I?","previous_response_id":"{{id}}","stream":true}""");

        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal("completed", Events(second)[^1].GetProperty("response").GetProperty("status").GetString());
        var sent = stack.Anthropic.LastRequest.Json!["messages"]!.AsArray();
        Assert.Equal(["I am Ada.", "Nice to meet you, Ada.", "Who am I?"], sent.Select(m => (string?)m!["content"]![0]!["text"]));
        Assert.Equal(["user", "assistant", "user"], sent.Select(m => (string?)m!["role"]));
    }
}
