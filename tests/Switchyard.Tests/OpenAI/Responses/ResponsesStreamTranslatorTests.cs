using System.Text.Json;
using Switchyard.Errors;
using Switchyard.OpenAI;
using Switchyard.OpenAI.Responses;
using Switchyard.Translation;
using static Switchyard.Tests.ResponsesApi.ResponsesTestSupport;

namespace Switchyard.Tests.ResponsesApi;

public sealed class ResponsesStreamTranslatorTests
{
    private const string Usage = """{"prompt_tokens":100,"completion_tokens":30,"total_tokens":130,"prompt_cache_hit_tokens":64,"prompt_cache_miss_tokens":36,"completion_tokens_details":{"reasoning_tokens":12}}""";

    private static ChatCompletionChunk Chunk(string delta, string? finish = null, string? usage = null) =>
        JsonSerializer.Deserialize(
            $$"""{"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{{delta}},"finish_reason":{{(finish is null ? "null" : $"\"{finish}\"")}}}]{{(usage is null ? "" : ",\"usage\":" + usage)}}}""",
            OpenAIJsonContext.Default.ChatCompletionChunk)!;

    private static (ResponsesStreamTranslator Machine, List<JsonElement> Events) Run(string requestJson, params ChatCompletionChunk[] chunks)
    {
        var machine = new ResponsesStreamTranslator(Translate(requestJson), new ReasoningSeal(Key), "resp_test", 1_700_000_000);
        var events = new List<ResponseStreamEvent>();
        machine.Start(events);
        foreach (var chunk in chunks)
        {
            machine.Process(chunk, events);
        }

        machine.Complete(events);
        return (machine, Json(events));
    }

    private static List<JsonElement> Json(List<ResponseStreamEvent> events) =>
        events.Select(e => JsonSerializer.SerializeToElement(e, ResponsesJsonContext.Default.ResponseStreamEvent)).ToList();

    private static string[] Types(List<JsonElement> events) => events.Select(e => e.GetProperty("type").GetString()!).ToArray();

    [Fact]
    public void Reasoning_as_summary_then_text_follows_the_grammar_and_ends_completed_with_usage()
    {
        var (machine, events) = Run("""{"model":"deepseek-v4-flash","input":"hi","reasoning":{"summary":"auto"}}""",
            Chunk("""{"role":"assistant","content":"","reasoning_content":""}"""),
            Chunk("""{"content":null,"reasoning_content":"Think "}"""),
            Chunk("""{"content":null,"reasoning_content":"more."}"""),
            Chunk("""{"content":"Hello","reasoning_content":null}"""),
            Chunk("""{"content":" there."}"""),
            Chunk("{}", "stop", Usage));

        Assert.Empty(ResponsesStreamGrammar.Validate(events));
        Assert.Equal(
        [
            "response.created", "response.in_progress",
            "response.output_item.added", "response.reasoning_summary_part.added",
            "response.reasoning_summary_text.delta", "response.reasoning_summary_text.delta",
            "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
            "response.output_item.added", "response.content_part.added",
            "response.output_text.delta", "response.output_text.delta",
            "response.output_text.done", "response.content_part.done", "response.output_item.done",
            "response.completed",
        ], Types(events));
        var final = events[^1].GetProperty("response");
        Assert.Equal("completed", final.GetProperty("status").GetString());
        Assert.Equal("resp_test", final.GetProperty("id").GetString());
        Assert.Equal("Think more.", final.GetProperty("output")[0].GetProperty("summary")[0].GetProperty("text").GetString());
        Assert.False(final.GetProperty("output")[0].TryGetProperty("encrypted_content", out _));
        Assert.Equal("Hello there.", final.GetProperty("output")[1].GetProperty("content")[0].GetProperty("text").GetString());
        var usage = final.GetProperty("usage");
        Assert.Equal(100, usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(64, usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(30, usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(12, usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32());
        Assert.Equal(130, usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal("stop", machine.FinishReason);
        Assert.Equal("Think more.", machine.Reasoning);
    }

    [Fact]
    public void Without_a_summary_the_reasoning_is_content_and_with_include_it_is_sealed()
    {
        var (_, events) = Run("""{"model":"deepseek-v4-flash","input":"hi","include":["reasoning.encrypted_content"]}""",
            Chunk("""{"content":null,"reasoning_content":"Secret plan."}"""),
            Chunk("""{"content":"Done."}""", "stop", Usage));

        Assert.Empty(ResponsesStreamGrammar.Validate(events));
        Assert.Contains("response.reasoning_text.delta", Types(events));
        Assert.DoesNotContain("response.reasoning_summary_text.delta", Types(events));
        var reasoning = events[^1].GetProperty("response").GetProperty("output")[0];
        Assert.Equal(0, reasoning.GetProperty("summary").GetArrayLength());
        Assert.Equal("reasoning_text", reasoning.GetProperty("content")[0].GetProperty("type").GetString());
        Assert.True(new ReasoningSeal(Key).TryOpen(reasoning.GetProperty("encrypted_content").GetString()!, out var opened));
        Assert.Equal("Secret plan.", opened);
    }

    [Fact]
    public void Reasoning_is_not_shown_when_thinking_is_off()
    {
        var (_, events) = Run("""{"model":"deepseek-v4-flash","input":"hi","reasoning":{"effort":"none"}}""",
            Chunk("""{"reasoning_content":"should not show"}"""),
            Chunk("""{"content":"Hi."}""", "stop", Usage));

        var output = events[^1].GetProperty("response").GetProperty("output");
        Assert.Equal("message", Assert.Single(output.EnumerateArray()).GetProperty("type").GetString());
    }

    [Fact]
    public void A_streamed_function_call_keeps_the_upstream_call_id_and_streams_its_arguments()
    {
        var (machine, events) = Run("""{"model":"deepseek-v4-flash","input":"hi","tools":[{"type":"function","name":"get_weather"}]}""",
            Chunk("""{"tool_calls":[{"index":0,"id":"call_00_abc","type":"function","function":{"name":"get_weather","arguments":""}}]}"""),
            Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}"""),
            Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}"""),
            Chunk("{}", "tool_calls", Usage));

        Assert.Empty(ResponsesStreamGrammar.Validate(events));
        Assert.Equal(2, Types(events).Count(t => t == "response.function_call_arguments.delta"));
        var call = events[^1].GetProperty("response").GetProperty("output")[0];
        Assert.Equal("function_call", call.GetProperty("type").GetString());
        Assert.Equal("call_00_abc", call.GetProperty("call_id").GetString());
        Assert.StartsWith("fc_", call.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        Assert.Equal("{\"city\":\"Paris\"}", call.GetProperty("arguments").GetString());
        Assert.Equal("completed", events[^1].GetProperty("response").GetProperty("status").GetString());
        Assert.Equal(["call_00_abc"], machine.ToolCallIds);
    }

    [Fact]
    public void Interleaved_parallel_calls_come_out_one_after_the_other()
    {
        var (_, events) = Run("""{"model":"deepseek-v4-flash","input":"hi","tools":[{"type":"function","name":"a"},{"type":"function","name":"b"}]}""",
            Chunk("""{"tool_calls":[{"index":0,"id":"c0","function":{"name":"a","arguments":""}},{"index":1,"id":"c1","function":{"name":"b","arguments":""}}]}"""),
            Chunk("""{"tool_calls":[{"index":1,"function":{"arguments":"{\"y\":"}}]}"""),
            Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"{\"x\":1}"}}]}"""),
            Chunk("""{"tool_calls":[{"index":1,"function":{"arguments":"2}"}}]}"""),
            Chunk("{}", "tool_calls", Usage));

        Assert.Empty(ResponsesStreamGrammar.Validate(events));
        var output = events[^1].GetProperty("response").GetProperty("output");
        Assert.Equal(("c0", "{\"x\":1}"), (output[0].GetProperty("call_id").GetString(), output[0].GetProperty("arguments").GetString()));
        Assert.Equal(("c1", "{\"y\":2}"), (output[1].GetProperty("call_id").GetString(), output[1].GetProperty("arguments").GetString()));
    }

    [Fact]
    public void Custom_and_namespaced_calls_map_back_to_the_client_tools()
    {
        var (_, events) = Run("""
            {"model":"deepseek-v4-flash","input":"hi","tools":[{"type":"custom","name":"apply_patch"},{"type":"namespace","name":"crm","description":"CRM","tools":[{"type":"function","name":"lookup"}]}]}
            """,
            Chunk("""{"tool_calls":[{"index":0,"id":"c0","function":{"name":"apply_patch","arguments":"{\"input\":\"*** Begin"}}]}"""),
            Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":" Patch\\n\"}"}}]}"""),
            Chunk("""{"tool_calls":[{"index":1,"id":"c1","function":{"name":"crm__lookup","arguments":"{}"}}]}"""),
            Chunk("{}", "tool_calls", Usage));

        Assert.Empty(ResponsesStreamGrammar.Validate(events));
        Assert.Contains("response.custom_tool_call_input.done", Types(events));
        var output = events[^1].GetProperty("response").GetProperty("output");
        Assert.Equal("custom_tool_call", output[0].GetProperty("type").GetString());
        Assert.Equal("*** Begin Patch\n", output[0].GetProperty("input").GetString());
        Assert.Equal(("lookup", "crm"), (output[1].GetProperty("name").GetString(), output[1].GetProperty("namespace").GetString()));
    }

    [Fact]
    public void Length_ends_the_response_incomplete_with_repaired_arguments()
    {
        var (_, events) = Run("""{"model":"deepseek-v4-flash","input":"hi","tools":[{"type":"function","name":"f"}]}""",
            Chunk("""{"tool_calls":[{"index":0,"id":"c0","function":{"name":"f","arguments":"{\"path\":\"a.t"}}]}"""),
            Chunk("{}", "length", Usage));

        Assert.Empty(ResponsesStreamGrammar.Validate(events));
        var response = events[^1].GetProperty("response");
        Assert.Equal("response.incomplete", events[^1].GetProperty("type").GetString());
        Assert.Equal("incomplete", response.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", response.GetProperty("incomplete_details").GetProperty("reason").GetString());
        Assert.Equal("{\"path\":\"a.t\"}", response.GetProperty("output")[0].GetProperty("arguments").GetString());
    }

    [Theory]
    [InlineData(null, GatewayErrorKind.Api)]
    [InlineData("insufficient_system_resource", GatewayErrorKind.Overloaded)]
    public void An_unfinished_or_interrupted_stream_fails_with_error_then_response_failed(string? finish, GatewayErrorKind kind)
    {
        var machine = new ResponsesStreamTranslator(Translate("""{"model":"deepseek-v4-flash","input":"hi"}"""), new ReasoningSeal(Key), "resp_test", 1);
        var events = new List<ResponseStreamEvent>();
        machine.Process(Chunk("""{"content":"Part"}""", finish), events);

        var error = Assert.Throws<GatewayException>(() => machine.Complete(events));
        Assert.Equal(kind, error.Kind);
        machine.Fail(error, events);

        var json = Json(events);
        Assert.Empty(ResponsesStreamGrammar.Validate(json));
        Assert.Equal(["error", "response.failed"], Types(json)[^2..]);
        Assert.Equal("server_error", json[^2].GetProperty("code").GetString());
        Assert.Equal("failed", json[^1].GetProperty("response").GetProperty("status").GetString());
        Assert.Equal(error.Message, json[^1].GetProperty("response").GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public void A_non_streaming_completion_goes_through_as_one_chunk()
    {
        var completion = JsonSerializer.Deserialize("""
            {"id":"x","object":"chat.completion","model":"deepseek-v4-flash","choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":"Let me check.","reasoning_content":"Need data.",
             "tool_calls":[{"id":"call_00_a","type":"function","function":{"name":"f","arguments":"{}"}},{"id":"call_01_b","type":"function","function":{"name":"f","arguments":"{\"n\":2}"}}]}}],
             "usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}
            """, OpenAIJsonContext.Default.ChatCompletion)!;
        var (machine, events) = Run("""{"model":"deepseek-v4-flash","input":"hi","tools":[{"type":"function","name":"f"}]}""", ResponsesStreamTranslator.ChunkOf(completion));

        Assert.Empty(ResponsesStreamGrammar.Validate(events));
        var output = machine.Final!.Output;
        Assert.Equal(["reasoning", "message", "function_call", "function_call"], output.Select(o => o switch
        {
            ReasoningItem => "reasoning",
            MessageItem => "message",
            _ => "function_call",
        }));
        Assert.Equal("{\"n\":2}", ((FunctionCallItem)output[3]).Arguments);
        Assert.Equal(["call_00_a", "call_01_b"], machine.ToolCallIds);
    }

    [Fact]
    public void The_grammar_check_catches_broken_streams()
    {
        var (_, events) = Run("""{"model":"deepseek-v4-flash","input":"hi"}""", Chunk("""{"content":"Hi."}""", "stop", Usage));
        var raw = events.Select(e => e.GetRawText()).ToList();

        static List<string> Check(IEnumerable<string> texts) => ResponsesStreamGrammar.Validate(texts.Select(t => JsonDocument.Parse(t).RootElement).ToList());

        Assert.Empty(Check(raw));
        Assert.NotEmpty(Check(raw.Where((_, i) => i != 1)));
        Assert.NotEmpty(Check(raw.Take(raw.Count - 1)));
        Assert.NotEmpty(Check(raw.Select(t => t.Replace("\"item_id\":\"msg_", "\"item_id\":\"msg_x", StringComparison.Ordinal))));
    }
}
