using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Errors;
using Switchyard.Memory;
using Switchyard.OpenAI.Responses;
using Switchyard.Tests.Translation.ChatToMessages;
using Switchyard.Translation;
using Switchyard.Translation.StructuredOutput;
using static Switchyard.Tests.ResponsesApi.ResponsesTestSupport;

namespace Switchyard.Tests.ResponsesApi;

public sealed class ResponsesRequestTranslatorTests
{
    private const string Tools = """
        "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}]
        """;

    [Fact]
    public void Instructions_and_developer_messages_are_system_messages_in_place()
    {
        var upstream = UpstreamJson(Translate("""
            {"model":"deepseek-v4-flash","instructions":"Be brief.",
             "input":[{"role":"developer","content":"Rules."},{"role":"user","content":[{"type":"input_text","text":"a"},{"type":"input_text","text":"b"}]}]}
            """));

        var messages = upstream.GetProperty("messages");
        Assert.Equal(["system", "system", "user"], messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("Be brief.", messages[0].GetProperty("content").GetString());
        Assert.Equal("a\n\nb", messages[2].GetProperty("content").GetString());
        Assert.Equal("deepseek-v4-flash", upstream.GetProperty("model").GetString());
    }

    [Fact]
    public void Thinking_follows_reasoning_effort()
    {
        static (string Thinking, string? Effort) Sent(string reasoning)
        {
            var upstream = UpstreamJson(Translate($$"""{"model":"deepseek-v4-flash","input":"x"{{reasoning}}}"""));
            return (upstream.GetProperty("thinking").GetProperty("type").GetString()!,
                upstream.TryGetProperty("reasoning_effort", out var effort) ? effort.GetString() : null);
        }

        Assert.Equal(("enabled", null), Sent(""));
        Assert.Equal(("enabled", null), Sent(""","reasoning":{"summary":"auto"}"""));
        Assert.Equal(("disabled", null), Sent(""","reasoning":{"effort":"none"}"""));
        Assert.Equal(("enabled", "high"), Sent(""","reasoning":{"effort":"minimal"}"""));
        Assert.Equal(("enabled", "high"), Sent(""","reasoning":{"effort":"medium"}"""));
        Assert.Equal(("enabled", "max"), Sent(""","reasoning":{"effort":"xhigh"}"""));
    }

    [Fact]
    public void Legacy_model_names_keep_their_thinking_default()
    {
        var translated = Translate("""{"model":"deepseek-chat","input":"x"}""", model: "deepseek-chat");

        Assert.False(translated.Thinking);
        Assert.Equal("disabled", UpstreamJson(translated).GetProperty("thinking").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("\"required\"")]
    [InlineData("""{"type":"function","name":"get_weather"}""")]
    public void A_forced_tool_choice_turns_thinking_off_and_says_so(string choice)
    {
        var translated = Translate($$"""{"model":"deepseek-v4-flash","input":"x",{{Tools}},"tool_choice":{{choice}}}""");

        Assert.False(translated.Thinking);
        Assert.Equal(ThinkingFallback.ForcedToolChoice, translated.ThinkingFallback);
        var upstream = UpstreamJson(translated);
        Assert.Equal("disabled", upstream.GetProperty("thinking").GetProperty("type").GetString());
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(choice == "\"required\"" ? choice : """{"type":"function","function":{"name":"get_weather"}}""").RootElement),
            upstream.GetProperty("tool_choice").GetRawText());
    }

    [Fact]
    public void Reasoning_call_and_output_become_one_assistant_turn_with_its_reasoning()
    {
        var upstream = UpstreamJson(Translate($$"""
            {"model":"deepseek-v4-flash",{{Tools}},"input":[
              {"role":"user","content":"Weather?"},
              {"type":"reasoning","summary":[{"type":"summary_text","text":"Need the tool."}]},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Checking."}]},
              {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
              {"type":"function_call_output","call_id":"call_1","output":"Sunny"}]}
            """));

        var messages = upstream.GetProperty("messages");
        Assert.Equal(["user", "assistant", "tool"], messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        var assistant = messages[1];
        Assert.Equal("Checking.", assistant.GetProperty("content").GetString());
        Assert.Equal("Need the tool.", assistant.GetProperty("reasoning_content").GetString());
        Assert.Equal("call_1", assistant.GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal("{\"city\":\"Paris\"}", assistant.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("Sunny", messages[2].GetProperty("content").GetString());
        Assert.Equal("call_1", messages[2].GetProperty("tool_call_id").GetString());
    }

    [Fact]
    public void Sealed_reasoning_is_opened_and_wins_over_the_summary()
    {
        var seal = new ReasoningSeal(Key).Seal("The whole reasoning.");
        var upstream = UpstreamJson(Translate($$"""
            {"model":"deepseek-v4-flash",{{Tools}},"input":[{"role":"user","content":"Weather?"},
              {"type":"reasoning","summary":[{"type":"summary_text","text":"short"}],"encrypted_content":"{{seal}}"},
              {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{}"},
              {"type":"function_call_output","call_id":"call_1","output":"Sunny"}]}
            """));

        Assert.Equal("The whole reasoning.", upstream.GetProperty("messages")[1].GetProperty("reasoning_content").GetString());
    }

    [Fact]
    public void A_turn_without_usable_reasoning_gets_it_from_memory_else_empty()
    {
        var memory = new DictionaryReasoningMemory();
        memory.Remember(ReasoningKeys.ForToolCalls(["call_1"]), new ReasoningEntry("Remembered."));
        const string Input = """
            {"model":"deepseek-v4-flash","tools":[{"type":"function","name":"f"}],"input":[{"role":"user","content":"go"},
              {"type":"reasoning","summary":[],"encrypted_content":"gAAAAB-someone-else"},
              {"type":"function_call","call_id":"call_1","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"call_1","output":"1"},
              {"type":"function_call","call_id":"call_2","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"call_2","output":"2"}]}
            """;

        var translated = Translate(Input, memory);

        var messages = UpstreamJson(translated).GetProperty("messages");
        Assert.Equal("Remembered.", messages[1].GetProperty("reasoning_content").GetString());
        Assert.Equal(string.Empty, messages[3].GetProperty("reasoning_content").GetString());
        Assert.Equal(1, translated.RestoredReasoning);
        var withoutThinking = UpstreamJson(Translate(Input.Replace("\"tools\"", "\"reasoning\":{\"effort\":\"none\"},\"tools\"", StringComparison.Ordinal), memory));
        Assert.False(withoutThinking.GetProperty("messages")[1].TryGetProperty("reasoning_content", out _));
    }

    [Fact]
    public void Messages_that_arrive_while_calls_are_open_wait_for_the_outputs()
    {
        var upstream = UpstreamJson(Translate("""
            {"model":"deepseek-v4-flash","tools":[{"type":"function","name":"f"}],"input":[{"role":"user","content":"go"},
              {"type":"function_call","call_id":"a","name":"f","arguments":"{}"},{"type":"function_call","call_id":"b","name":"f","arguments":"{}"},
              {"role":"developer","content":"note"},
              {"type":"function_call_output","call_id":"a","output":"1"},{"type":"function_call_output","call_id":"b","output":"2"}]}
            """));

        Assert.Equal(["user", "assistant", "tool", "tool", "system"],
            upstream.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(2, upstream.GetProperty("messages")[1].GetProperty("tool_calls").GetArrayLength());
    }

    [Theory]
    [InlineData("""[{"role":"user","content":"go"},{"type":"function_call","call_id":"a","name":"f","arguments":"{}"}]""", "input", "no function_call_output")]
    [InlineData("""[{"role":"user","content":"go"},{"type":"function_call_output","call_id":"zzz","output":"1"}]""", "input[1].call_id", "'zzz'")]
    [InlineData("""[]""", "input", "empty")]
    public void Broken_tool_sequences_are_400s(string input, string param, string message)
    {
        var error = Assert.Throws<GatewayException>(() => Translate($$"""{"model":"deepseek-v4-flash","tools":[{"type":"function","name":"f"}],"input":{{input}}}"""));

        Assert.Equal(param, error.Param);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Custom_and_namespaced_tools_become_functions_and_their_calls_replay()
    {
        var translated = Translate("""
            {"model":"deepseek-v4-flash","reasoning":{"effort":"none"},
             "tools":[{"type":"custom","name":"apply_patch","description":"Patch files.","format":{"type":"grammar","syntax":"lark","definition":"start: PATCH"}},
                      {"type":"namespace","name":"crm","description":"CRM","tools":[{"type":"function","name":"lookup"}]}],
             "input":[{"role":"user","content":"go"},
               {"type":"custom_tool_call","call_id":"c1","name":"apply_patch","input":"*** Begin Patch\n\"x\""},
               {"type":"custom_tool_call_output","call_id":"c1","output":"done"},
               {"type":"function_call","call_id":"c2","name":"lookup","namespace":"crm","arguments":"{}"},
               {"type":"function_call_output","call_id":"c2","output":[{"type":"input_text","text":"found"}]}]}
            """);

        var upstream = UpstreamJson(translated);
        var tools = upstream.GetProperty("tools");
        Assert.Equal("apply_patch", tools[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Contains("start: PATCH", tools[0].GetProperty("function").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(["input"], tools[0].GetProperty("function").GetProperty("parameters").GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("crm__lookup", tools[1].GetProperty("function").GetProperty("name").GetString());
        var messages = upstream.GetProperty("messages");
        var arguments = messages[1].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString()!;
        Assert.Equal("*** Begin Patch\n\"x\"", JsonDocument.Parse(arguments).RootElement.GetProperty("input").GetString());
        Assert.Equal("crm__lookup", messages[3].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("found", messages[4].GetProperty("content").GetString());
        Assert.Equal(ResponsesToolKind.Custom, translated.Tools["apply_patch"].Kind);
    }

    [Fact]
    public void Allowed_tools_limit_what_is_sent()
    {
        var upstream = UpstreamJson(Translate("""
            {"model":"deepseek-v4-flash","input":"x","tools":[{"type":"function","name":"a"},{"type":"function","name":"b"}],
             "tool_choice":{"type":"allowed_tools","mode":"auto","tools":[{"type":"function","name":"b"}]}}
            """));

        Assert.Equal("b", Assert.Single(upstream.GetProperty("tools").EnumerateArray()).GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("auto", upstream.GetProperty("tool_choice").GetString());
    }

    private const string Person = """
        "text":{"format":{"type":"json_schema","name":"person","schema":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"],"additionalProperties":false}}}
        """;

    [Fact]
    public void Json_object_is_json_mode()
    {
        var jsonObject = UpstreamJson(Translate("""{"model":"deepseek-v4-flash","input":"json please","text":{"format":{"type":"json_object"}}}"""));

        Assert.Equal("json_object", jsonObject.GetProperty("response_format").GetProperty("type").GetString());
        Assert.Equal("enabled", jsonObject.GetProperty("thinking").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData(false, StructuredOutputMode.ForcedTool)]
    [InlineData(true, StructuredOutputMode.StrictTool)]
    public void Json_schema_is_a_forced_call_of_a_function_whose_parameters_are_the_schema(bool strictAvailable, StructuredOutputMode mode)
    {
        var translated = Translate($$"""{"model":"deepseek-v4-flash","instructions":"Be exact.","input":"Who?",{{Person}}}""", strictAvailable: strictAvailable);

        Assert.Equal(mode, translated.StructuredOutput!.Mode);
        Assert.False(translated.Thinking);
        Assert.Equal(ThinkingFallback.StructuredOutput, translated.ThinkingFallback);
        var upstream = UpstreamJson(translated);
        var function = Assert.Single(upstream.GetProperty("tools").EnumerateArray()).GetProperty("function");
        Assert.Equal(StructuredOutputPlan.ToolName, function.GetProperty("name").GetString());
        Assert.Equal("name", function.GetProperty("parameters").GetProperty("required")[0].GetString());
        Assert.Equal(strictAvailable, function.TryGetProperty("strict", out var strict) && strict.GetBoolean());
        Assert.Equal(StructuredOutputPlan.ToolName, upstream.GetProperty("tool_choice").GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("disabled", upstream.GetProperty("thinking").GetProperty("type").GetString());
        Assert.False(upstream.TryGetProperty("response_format", out _));
    }

    [Fact]
    public void Json_schema_with_client_tools_is_json_mode_with_the_schema_in_a_leading_system_instruction()
    {
        var translated = Translate($$"""{"model":"deepseek-v4-flash","instructions":"Be exact.","input":"Who?",{{Tools}},{{Person}}}""", strictAvailable: true);

        Assert.Equal(StructuredOutputMode.JsonMode, translated.StructuredOutput!.Mode);
        Assert.True(translated.Thinking);
        var upstream = UpstreamJson(translated);
        Assert.Equal("json_object", upstream.GetProperty("response_format").GetProperty("type").GetString());
        Assert.Equal("get_weather", Assert.Single(upstream.GetProperty("tools").EnumerateArray()).GetProperty("function").GetProperty("name").GetString());
        var messages = upstream.GetProperty("messages");
        var instruction = messages[0].GetProperty("content").GetString()!;
        Assert.Contains("\"required\":[\"name\"]", instruction, StringComparison.Ordinal);
        Assert.Contains("JSON", instruction, StringComparison.Ordinal);
        Assert.Equal("Be exact.", messages[1].GetProperty("content").GetString());
        Assert.Equal("user", messages[2].GetProperty("role").GetString());
    }

    [Fact]
    public void For_an_anthropic_format_upstream_json_schema_and_parallel_tool_calls_false_are_passed_on()
    {
        var request = Parse($$"""{"model":"deepseek-v4-flash","input":"Who?",{{Tools}},"parallel_tool_calls":false,{{Person}}}""");

        var translated = Translator().TranslateForMessages(request, [], Catalog.Resolve("deepseek-v4-flash"));

        Assert.Null(translated.StructuredOutput);
        var upstream = UpstreamJson(translated);
        Assert.Equal("json_schema", upstream.GetProperty("response_format").GetProperty("type").GetString());
        Assert.Equal("person", upstream.GetProperty("response_format").GetProperty("json_schema").GetProperty("name").GetString());
        Assert.False(upstream.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.False(upstream.TryGetProperty("thinking", out _));
    }

    [Fact]
    public void Sampling_limits_and_user_id_are_mapped()
    {
        var upstream = UpstreamJson(Translate("""
            {"model":"deepseek-v4-flash","input":"x","max_output_tokens":500,"temperature":0.5,"top_p":0.9,"user":"ignored","safety_identifier":"user@example.com","metadata":{"a":"b"}}
            """));

        Assert.Equal(500, upstream.GetProperty("max_tokens").GetInt32());
        Assert.Equal(0.5, upstream.GetProperty("temperature").GetDouble());
        Assert.Equal(0.9, upstream.GetProperty("top_p").GetDouble());
        Assert.Equal("user_example_com", upstream.GetProperty("user_id").GetString());
        Assert.False(upstream.TryGetProperty("metadata", out _));
    }

    [Fact]
    public void Max_output_tokens_above_the_model_limit_is_a_400()
    {
        var error = Assert.Throws<GatewayException>(() => Translate("""{"model":"deepseek-v4-flash","input":"x","max_output_tokens":400000}"""));

        Assert.Equal("max_output_tokens", error.Param);
    }

    [Fact]
    public void Stored_history_comes_before_the_input_and_instructions_first()
    {
        var history = ResponseItemParser.ParseInput(JsonDocument.Parse("""
            [{"type":"message","id":"msg_1","role":"user","content":[{"type":"input_text","text":"first"}]},
             {"type":"message","id":"msg_2","role":"assistant","status":"completed","content":[{"type":"output_text","text":"answer","annotations":[]}]}]
            """).RootElement, Switchyard.Compatibility.CompatibilityTables.ResponsesToChat);

        var upstream = UpstreamJson(Translate("""{"model":"deepseek-v4-flash","instructions":"Sys.","input":"second","previous_response_id":"resp_1"}""", history: history));

        Assert.Equal(["Sys.", "first", "answer", "second"],
            upstream.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content").GetString()));
    }

    [Fact]
    public void Codex_tool_turn_translates_with_the_call_and_its_output()
    {
        var body = JsonNode.Parse(Fixture("codex/0.171.0/exec-tool-turn.json"))!.AsObject();
        var tools = body["tools"]!.AsArray();
        tools.Remove(tools.Single(t => t!["type"]!.GetValue<string>() == "web_search"));

        var translated = Translate(body.ToJsonString());

        var messages = UpstreamJson(translated).GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal("tool", messages[^1].GetProperty("role").GetString());
        var assistant = messages[^2];
        Assert.Equal("exec_command", assistant.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString());
        // "ENC123" is not a Switchyard seal: the summary text is replayed.
        Assert.Equal("I will write the file.", assistant.GetProperty("reasoning_content").GetString());
        Assert.Contains(UpstreamJson(translated).GetProperty("tools").EnumerateArray(),
            t => t.GetProperty("function").GetProperty("name").GetString() == "multi_agent_v1__spawn_agent");
    }
}
