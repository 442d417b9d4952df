using System.Net;
using System.Text.Json.Nodes;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using static Switchyard.Tests.Lanes.ChatToChat.OpenAIFrontSupport;

namespace Switchyard.Tests.Lanes.ChatToChat;

/// <summary>
/// <c>response_format:{type:"json_schema"}</c> on DeepSeek, which has no JSON-schema mode: asked as a forced (strict when
/// the schema allows) function call or JSON mode, checked against the schema, repaired once, answered in
/// <c>content</c>.
/// </summary>
public sealed class StructuredOutputTests
{
    private const string StrictSchema = """{"type":"object","properties":{"city":{"type":"string"},"population":{"type":"integer"}},"required":["city","population"],"additionalProperties":false}""";

    private static string Body(string schema, bool stream = false, string extra = "") =>
        "{\"model\":\"deepseek-v4-flash\",\"stream\":" + (stream ? "true" : "false") +
        ",\"messages\":[{\"role\":\"user\",\"content\":\"Biggest city of France?\"}]," +
        "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"city\",\"strict\":true,\"schema\":" + schema + "}}" + extra + "}";

    [Fact]
    public async Task A_strict_schema_is_asked_as_a_strict_forced_call_and_answered_in_content()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { ToolCalls = [new FakeToolCall("structured_output", """{"city":"Paris","population":2100000}""")] });

        var answer = await PostAsync(host, "/v1/chat/completions", Body(StrictSchema));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var message = answer.Json!["choices"]![0]!["message"]!;
        Assert.Equal("""{"city":"Paris","population":2100000}""", message["content"]!.GetValue<string>());
        Assert.Null(message["tool_calls"]);
        Assert.Equal("stop", answer.Json["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal("strict-tool", answer.Header("x-switchyard-structured-output"));
        Assert.Equal("disabled-for-structured-output", answer.Header("x-switchyard-thinking"));
        var sent = host.Upstream.LastRequest;
        Assert.Equal("/beta/chat/completions", sent.Path);
        Assert.Null(sent.Json!["response_format"]);
        Assert.Equal("structured_output", sent.Json["tool_choice"]!["function"]!["name"]!.GetValue<string>());
        Assert.True(sent.Json["tools"]![0]!["function"]!["strict"]!.GetValue<bool>());
        Assert.Equal("disabled", sent.Json["thinking"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_answer_that_does_not_match_is_repaired_once_and_both_calls_are_billed()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { ToolCalls = [new FakeToolCall("structured_output", """{"city":"Paris"}""")], PromptTokens = 100, CompletionTokens = 10 });
        host.Upstream.Enqueue(new FakeReply { ToolCalls = [new FakeToolCall("structured_output", """{"city":"Paris","population":2100000}""")], PromptTokens = 130, CompletionTokens = 12 });

        var answer = await PostAsync(host, "/v1/chat/completions", Body(StrictSchema));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("""{"city":"Paris","population":2100000}""", answer.Json!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal(230, answer.Json["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(22, answer.Json["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.Equal(2, host.Upstream.Requests.Count);
        var repair = (JsonArray)host.Upstream.LastRequest.Json!["messages"]!;
        Assert.Equal("""{"city":"Paris"}""", repair[^2]!["content"]!.GetValue<string>());
        Assert.Contains("population", repair[^1]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_that_still_does_not_match_after_the_repair_is_a_clear_error()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { ToolCalls = [new FakeToolCall("structured_output", """{"city":1}""")] });
        host.Upstream.Enqueue(new FakeReply { ToolCalls = [new FakeToolCall("structured_output", "not json")] });

        var answer = await PostAsync(host, "/v1/chat/completions", Body(StrictSchema));

        Assert.Equal(HttpStatusCode.InternalServerError, answer.Status);
        Assert.Contains("did not match the requested JSON Schema", answer.Json!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schema_outside_the_strict_subset_is_a_plain_forced_call_and_client_tools_mean_json_mode()
    {
        await using var host = await GatewayHost.StartAsync();
        const string loose = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""";
        host.Upstream.Enqueue(new FakeReply { ToolCalls = [new FakeToolCall("structured_output", """{"city":"Lyon"}""")] });
        var forced = await PostAsync(host, "/v1/chat/completions", Body(loose));
        Assert.Equal("forced-tool", forced.Header("x-switchyard-structured-output"));
        Assert.Equal("/chat/completions", host.Upstream.LastRequest.Path);
        Assert.Null(host.Upstream.LastRequest.Json!["tools"]![0]!["function"]!["strict"]);

        host.Upstream.Enqueue(FakeReply.Text("""{"city":"Lyon"}"""));
        var tools = ""","tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object","properties":{}}}}]""";
        var jsonMode = await PostAsync(host, "/v1/chat/completions", Body(loose, extra: tools));
        Assert.Equal(HttpStatusCode.OK, jsonMode.Status);
        Assert.Equal("json-mode", jsonMode.Header("x-switchyard-structured-output"));
        var sent = host.Upstream.LastRequest.Json!;
        Assert.Equal("json_object", sent["response_format"]!["type"]!.GetValue<string>());
        Assert.Equal("lookup", sent["tools"]![0]!["function"]!["name"]!.GetValue<string>());
        Assert.Contains("JSON Schema", sent["messages"]![0]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(jsonMode.Header("x-switchyard-thinking"));
    }

    [Fact]
    public async Task A_streamed_structured_answer_is_checked_then_streamed()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { ToolCalls = [new FakeToolCall("structured_output", """{"city":"Paris","population":2100000}""")] });

        var answer = await PostAsync(host, "/v1/chat/completions",
            Body(StrictSchema, stream: true, extra: ""","stream_options":{"include_usage":true}"""));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var chunks = answer.Body.Split('\n').Where(l => l.StartsWith("data: {", StringComparison.Ordinal)).Select(l => JsonNode.Parse(l[6..])!).ToList();
        var text = string.Concat(chunks.Select(c => c["choices"] is JsonArray { Count: > 0 } ch ? (string?)ch[0]!["delta"]?["content"] : null));
        Assert.Equal("""{"city":"Paris","population":2100000}""", text);
        Assert.Single(chunks, c => c["choices"] is JsonArray { Count: 0 } && c["usage"] is JsonObject);
        Assert.EndsWith("data: [DONE]\n\n", answer.Body, StringComparison.Ordinal);
        Assert.False(host.Upstream.LastRequest.Json!["stream"]?.GetValue<bool>() ?? false);
    }

    [Fact]
    public async Task A_forced_tool_choice_turns_thinking_off_unless_the_client_asked_for_thinking()
    {
        await using var host = await GatewayHost.StartAsync();
        const string forced = """
            {"model":"deepseek-v4-flash","messages":[{"role":"user","content":"Look it up."}],
             "tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object","properties":{}}}}],"tool_choice":"required"
            """;
        host.Upstream.Enqueue(new FakeReply { ToolCalls = [new FakeToolCall("lookup", "{}")] });
        var quiet = await PostAsync(host, "/v1/chat/completions", forced + "}");
        Assert.Equal(HttpStatusCode.OK, quiet.Status);
        Assert.Equal("disabled-for-forced-tool-choice", quiet.Header("x-switchyard-thinking"));
        Assert.Equal("disabled", host.Upstream.LastRequest.Json!["thinking"]!["type"]!.GetValue<string>());

        var asked = await PostAsync(host, "/v1/chat/completions", forced + ""","thinking":{"type":"enabled"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, asked.Status);
        Assert.Contains("Thinking mode does not support this tool_choice", asked.Json!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("thinking", asked.Json["error"]!["message"]!.GetValue<string>()[50..], StringComparison.Ordinal);
    }
}
