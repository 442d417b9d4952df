using System.Text.Json;
using Switchyard.Memory;
using Switchyard.Translation;
using Switchyard.Translation.ChatToMessages;
using static Switchyard.Tests.Translation.ChatToMessages.ChatToMessagesFixture;

namespace Switchyard.Tests.Translation.ChatToMessages;

public sealed class ChatToMessagesRequestTranslatorTests
{
    [Fact]
    public void Minimal_request_gets_the_upstream_model_and_default_max_tokens()
    {
        var translated = Translate(Request());
        var body = Parse(translated.Body);
        Assert.Equal(Upstream, body.GetProperty("model").GetString());
        Assert.Equal(8192, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal("deepseek-chat", translated.ClientModel);
        Assert.False(translated.Stream);
        Assert.False(translated.Thinking);
        Assert.False(body.TryGetProperty("thinking", out _));
        Assert.False(body.TryGetProperty("system", out _));
        var message = body.GetProperty("messages")[0];
        Assert.Equal("user", message.GetProperty("role").GetString());
        Assert.Equal("""[{"type":"text","text":"Hi"}]""", message.GetProperty("content").GetRawText());
        Assert.Equal(1024, Body(Request(""","max_tokens":1024""")).GetProperty("max_tokens").GetInt32());
        Assert.Equal(77, Body(Request(""","max_completion_tokens":77,"max_tokens":5""")).GetProperty("max_tokens").GetInt32());
        Assert.Equal(100, Body(Request(), options: new ChatToMessagesOptions { DefaultMaxTokens = 100 }).GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public void Leading_system_and_developer_messages_become_top_level_system_and_later_ones_stay_in_place()
    {
        var body = Body(Request(messages: """
            [{"role":"system","content":"You are helpful."},{"role":"developer","content":[{"type":"text","text":"Be brief."}]},
             {"role":"user","content":"a"},{"role":"developer","content":"Now answer in French."},{"role":"user","content":"b"}]
            """));
        Assert.Equal("""[{"type":"text","text":"You are helpful."},{"type":"text","text":"Be brief."}]""", body.GetProperty("system").GetRawText());
        Assert.Equal(["user", "system", "user"], Roles(body));
        Assert.Equal("""[{"type":"text","text":"Now answer in French."}]""", body.GetProperty("messages")[1].GetProperty("content").GetRawText());
    }

    [Fact]
    public void User_parts_map_to_text_and_image_blocks()
    {
        var body = Body(Request(messages: """
            [{"role":"user","content":[{"type":"text","text":"What is this?"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"high"}},
              {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]}]
            """));
        var content = body.GetProperty("messages")[0].GetProperty("content");
        Assert.Equal("""{"type":"text","text":"What is this?"}""", content[0].GetRawText());
        Assert.Equal("""{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}""", content[1].GetRawText());
        Assert.Equal("""{"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}""", content[2].GetRawText());
    }

    [Theory]
    [InlineData("""{"type":"input_audio","input_audio":{"data":"x","format":"wav"}}""", "messages[0].content[1]", "input_audio")]
    [InlineData("""{"type":"file","file":{"file_id":"f"}}""", "messages[0].content[1]", "'file' at index 1")]
    [InlineData("""{"type":"image_url","image_url":{"url":"data:application/pdf;base64,AAAA"}}""", "messages[0].content[1].image_url.url", "application/pdf")]
    [InlineData("""{"type":"image_url","image_url":{"url":"ftp://example.com/a.png"}}""", "messages[0].content[1].image_url.url", "http(s)")]
    [InlineData("""{"type":"image_url","image_url":{"url":"data:image/png,rawbytes"}}""", "messages[0].content[1].image_url.url", "base64")]
    public void Unsupported_user_parts_are_400s_naming_the_part(string part, string param, string mention)
    {
        var error = Invalid(Request(messages: $$"""[{"role":"user","content":[{"type":"text","text":"a"},{{part}}]}]"""));
        Assert.Equal(param, error.Param);
        Assert.Contains(mention, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assistant_tool_calls_become_tool_use_blocks_and_tool_messages_one_user_turn()
    {
        var body = Body(Request(""","tools":[{"type":"function","function":{"name":"w","description":"weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]""", """
            [{"role":"user","content":"weather in Paris and Rome?"},
             {"role":"assistant","content":"Let me check.","tool_calls":[
               {"id":"toolu_a","type":"function","function":{"name":"w","arguments":"{\"city\":\"Paris\"}"}},
               {"id":"toolu_b","type":"function","function":{"name":"w","arguments":"{\"city\":\"Rome\"}"}}]},
             {"role":"tool","tool_call_id":"toolu_a","content":"sunny"},
             {"role":"tool","tool_call_id":"toolu_b","content":[{"type":"text","text":"rain"}]},
             {"role":"user","content":"and tomorrow?"}]
            """));
        Assert.Equal(["user", "assistant", "user"], Roles(body));
        var assistant = body.GetProperty("messages")[1].GetProperty("content");
        Assert.Equal("""{"type":"text","text":"Let me check."}""", assistant[0].GetRawText());
        Assert.Equal("""{"type":"tool_use","id":"toolu_a","name":"w","input":{"city":"Paris"}}""", assistant[1].GetRawText());
        Assert.Equal("toolu_b", assistant[2].GetProperty("id").GetString());
        var user = body.GetProperty("messages")[2].GetProperty("content");
        Assert.Equal(3, user.GetArrayLength());
        Assert.Equal("""{"type":"tool_result","tool_use_id":"toolu_a","content":"sunny"}""", user[0].GetRawText());
        Assert.Equal("""{"type":"tool_result","tool_use_id":"toolu_b","content":"rain"}""", user[1].GetRawText());
        Assert.Equal("""{"type":"text","text":"and tomorrow?"}""", user[2].GetRawText());
        Assert.Equal("""[{"name":"w","description":"weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}]""", body.GetProperty("tools").GetRawText());
        Assert.False(body.TryGetProperty("tool_choice", out _));
    }

    [Fact]
    public void Tool_call_only_assistant_turns_have_no_text_block_and_empty_arguments_are_an_empty_object()
    {
        var body = Body(Request(messages: """
            [{"role":"user","content":"go"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"t1","type":"function","function":{"name":"now","arguments":""}}]},
             {"role":"tool","tool_call_id":"t1","content":""}]
            """));
        Assert.Equal("""[{"type":"tool_use","id":"t1","name":"now","input":{}}]""", body.GetProperty("messages")[1].GetProperty("content").GetRawText());
        Assert.Equal("""[{"type":"tool_result","tool_use_id":"t1"}]""", body.GetProperty("messages")[2].GetProperty("content").GetRawText());
    }

    [Theory]
    [InlineData("{\\\"city\\\":", "messages[1]")]
    [InlineData("[1,2]", "messages[1]")]
    public void Invalid_tool_arguments_are_400s_naming_the_message(string arguments, string messagePath)
    {
        var error = Invalid(Request(messages: $$$"""
            [{"role":"user","content":"go"},
             {"role":"assistant","tool_calls":[{"id":"t1","type":"function","function":{"name":"w","arguments":"{{{arguments}}}"}}]},
             {"role":"tool","tool_call_id":"t1","content":"x"}]
            """));
        Assert.StartsWith(messagePath + ":", error.Message, StringComparison.Ordinal);
        Assert.Equal("messages[1].tool_calls[0].function.arguments", error.Param);
    }

    [Fact]
    public void Consecutive_same_role_turns_merge_and_empty_messages_are_dropped()
    {
        var body = Body(Request(messages: """
            [{"role":"user","content":"a"},{"role":"user","content":"b"},{"role":"assistant","content":""},{"role":"user","content":"c"},
             {"role":"assistant","content":"x"},{"role":"assistant","content":[{"type":"text","text":"y"},{"type":"refusal","refusal":"z"}]},{"role":"user","content":"d"}]
            """));
        Assert.Equal(["user", "assistant", "user"], Roles(body));
        Assert.Equal(3, body.GetProperty("messages")[0].GetProperty("content").GetArrayLength());
        Assert.Equal("""[{"type":"text","text":"x"},{"type":"text","text":"yz"}]""", body.GetProperty("messages")[1].GetProperty("content").GetRawText());
    }

    [Fact]
    public void Prefix_assistant_message_is_sent_as_prefill_without_trailing_whitespace()
    {
        var body = Body(Request(""","stop":["```"]""", """
            [{"role":"user","content":"Write python"},{"role":"assistant","content":"```python\n","prefix":true}]
            """));
        Assert.Equal(["user", "assistant"], Roles(body));
        Assert.Equal("```python", body.GetProperty("messages")[1].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("""["```"]""", body.GetProperty("stop_sequences").GetRawText());
        var error = Invalid(Request(messages: """[{"role":"user","content":"a"},{"role":"assistant","content":"b","prefix":true},{"role":"user","content":"c"}]"""));
        Assert.Equal("messages[1].prefix", error.Param);
    }

    [Fact]
    public void Sampling_stop_and_user_fields_map()
    {
        var body = Body(Request(""","temperature":1.6,"stop":"END","user":"u-1","seed":42,"logprobs":true,"top_logprobs":3,"frequency_penalty":1,"presence_penalty":1,"logit_bias":{"50256":-100}"""));
        Assert.Equal(1.0, body.GetProperty("temperature").GetDouble());
        Assert.Equal("""["END"]""", body.GetProperty("stop_sequences").GetRawText());
        Assert.Equal("u-1", body.GetProperty("metadata").GetProperty("user_id").GetString());
        foreach (var ignored in new[] { "seed", "logprobs", "top_logprobs", "frequency_penalty", "presence_penalty", "logit_bias", "top_p" })
        {
            Assert.False(body.TryGetProperty(ignored, out _), ignored);
        }

        Assert.Equal(0.3, Body(Request(""","temperature":0.3""")).GetProperty("temperature").GetDouble());
        Assert.Equal(0.9, Body(Request(""","top_p":0.9""")).GetProperty("top_p").GetDouble());
        // Recent Claude models reject temperature and top_p together: temperature wins.
        Assert.False(Body(Request(""","top_p":0.9,"temperature":0.5""")).TryGetProperty("top_p", out _));
        Assert.Equal("deepseek-user", Body(Request(""","user":"other","user_id":"deepseek-user","n":1""")).GetProperty("metadata").GetProperty("user_id").GetString());
    }

    [Fact]
    public void Stream_and_include_usage_are_remembered()
    {
        var translated = Translate(Request(""","stream":true,"stream_options":{"include_usage":true}"""));
        Assert.True(translated.Stream);
        Assert.True(translated.IncludeUsage);
        Assert.True(Parse(translated.Body).GetProperty("stream").GetBoolean());
        var plain = Translate(Request(""","stream":true"""));
        Assert.True(plain.Stream);
        Assert.False(plain.IncludeUsage);
        Assert.False(Parse(Translate(Request()).Body).TryGetProperty("stream", out _));
    }

    [Theory]
    [InlineData(""","thinking":{"type":"enabled"}""", 8192, 16384, null)]
    [InlineData(""","reasoning_effort":"low","n":1""", 2048, 8192, "low")]
    [InlineData(""","reasoning_effort":"medium","n":1""", 4096, 8192, "medium")]
    [InlineData(""","reasoning_effort":"high","n":1""", 8192, 16384, "high")]
    [InlineData(""","reasoning_effort":"max","n":1""", 32768, 40960, "max")]
    [InlineData(""","reasoning_effort":"minimal","n":1""", 1024, 8192, "low")]
    [InlineData(""","thinking":{"type":"enabled"},"reasoning_effort":"xhigh","n":1""", 16384, 24576, "xhigh")]
    [InlineData(""","reasoning_effort":"high","max_tokens":32000""", 8192, 32000, "high")]
    [InlineData(""","reasoning_effort":"max","max_tokens":10000""", 5000, 10000, "max")]
    [InlineData(""","reasoning_effort":"high","max_tokens":500""", 1024, 1524, "high")]
    public void Thinking_budgets_follow_effort_and_fit_below_max_tokens(string extra, int budget, int maxTokens, string? effort)
    {
        var translated = Translate(Request(extra));
        var body = Parse(translated.Body);
        Assert.True(translated.Thinking);
        Assert.Equal(budget, translated.ThinkingBudget);
        Assert.Equal("""{"type":"enabled","budget_tokens":""" + budget + "}", body.GetProperty("thinking").GetRawText());
        Assert.Equal(maxTokens, body.GetProperty("max_tokens").GetInt32());
        Assert.True(budget < maxTokens && budget >= 1024);
        if (effort is null)
        {
            Assert.False(body.TryGetProperty("output_config", out _));
        }
        else
        {
            Assert.Equal(effort, body.GetProperty("output_config").GetProperty("effort").GetString());
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(""","thinking":{"type":"disabled"}""")]
    [InlineData(""","thinking":{"type":"disabled"},"reasoning_effort":"high","n":1""")]
    [InlineData(""","reasoning_effort":"none","n":1""")]
    public void Thinking_absent_or_disabled_sends_no_thinking(string extra)
    {
        var translated = Translate(Request(extra + ""","temperature":0.2"""));
        var body = Parse(translated.Body);
        Assert.False(translated.Thinking);
        Assert.False(body.TryGetProperty("thinking", out _));
        Assert.False(body.TryGetProperty("output_config", out _));
        Assert.Equal(0.2, body.GetProperty("temperature").GetDouble());
    }

    [Fact]
    public void Thinking_drops_temperature_and_keeps_top_p_in_anthropics_range()
    {
        var body = Body(Request(""","reasoning_effort":"high","temperature":0.2,"top_p":0.5"""));
        Assert.False(body.TryGetProperty("temperature", out _));
        Assert.Equal(0.95, body.GetProperty("top_p").GetDouble());
    }

    [Fact]
    public void Tool_choice_and_parallel_tool_calls_map()
    {
        const string tools = ""","tools":[{"type":"function","function":{"name":"t"}}]""";
        Assert.Equal("""{"type":"none"}""", Body(Request(tools + ""","tool_choice":"none","n":1""")).GetProperty("tool_choice").GetRawText());
        Assert.Equal("""{"type":"auto"}""", Body(Request(tools + ""","tool_choice":"auto","n":1""")).GetProperty("tool_choice").GetRawText());
        Assert.Equal("""{"type":"any"}""", Body(Request(tools + ""","tool_choice":"required","n":1""")).GetProperty("tool_choice").GetRawText());
        Assert.Equal("""{"type":"tool","name":"t"}""", Body(Request(tools + ""","tool_choice":{"type":"function","function":{"name":"t"}}""")).GetProperty("tool_choice").GetRawText());
        Assert.Equal("""{"type":"auto","disable_parallel_tool_use":true}""", Body(Request(tools + ""","parallel_tool_calls":false""")).GetProperty("tool_choice").GetRawText());
        Assert.Equal("""{"type":"any","disable_parallel_tool_use":true}""", Body(Request(tools + ""","tool_choice":"required","parallel_tool_calls":false""")).GetProperty("tool_choice").GetRawText());
        Assert.False(Body(Request(tools + ""","parallel_tool_calls":true""")).TryGetProperty("tool_choice", out _));
        // A tool without parameters gets an empty object schema; a schema without type gets type object.
        var body = Body(Request(""","tools":[{"type":"function","function":{"name":"a"}},{"type":"function","function":{"name":"b","parameters":{"properties":{"x":{"type":"integer"}}},"strict":true}}]"""));
        Assert.Equal("""{"name":"a","input_schema":{"type":"object","properties":{}}}""", body.GetProperty("tools")[0].GetRawText());
        Assert.Equal("""{"name":"b","input_schema":{"type":"object","properties":{"x":{"type":"integer"}}},"strict":true}""", body.GetProperty("tools")[1].GetRawText());
        // tool_choice without tools: none/auto are dropped, forced choices are 400s.
        Assert.False(Body(Request(""","tool_choice":"auto","n":1""")).TryGetProperty("tool_choice", out _));
        Assert.Equal("tool_choice", Invalid(Request(""","tool_choice":"required","n":1""")).Param);
    }

    [Fact]
    public void Forced_tool_choice_turns_thinking_off()
    {
        var translated = Translate(Request(""","reasoning_effort":"high","tools":[{"type":"function","function":{"name":"t"}}],"tool_choice":"required","n":1"""));
        Assert.False(translated.Thinking);
        Assert.Equal(ThinkingFallback.ForcedToolChoice, translated.ThinkingFallback);
        Assert.False(Parse(translated.Body).TryGetProperty("thinking", out _));
    }

    [Fact]
    public void Response_format_maps_to_a_system_instruction_or_output_config_format()
    {
        var json = Body(Request(""","response_format":{"type":"json_object"}""", """[{"role":"system","content":"Be terse."},{"role":"user","content":"json please"}]"""));
        var system = json.GetProperty("system");
        Assert.Equal(2, system.GetArrayLength());
        Assert.Equal("Be terse.", system[0].GetProperty("text").GetString());
        Assert.Contains("JSON object", system[1].GetProperty("text").GetString(), StringComparison.Ordinal);

        var schema = Body(Request(""","response_format":{"type":"json_schema","json_schema":{"name":"x","strict":true,"schema":{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}}}"""));
        Assert.Equal("""{"format":{"type":"json_schema","schema":{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}}}""", schema.GetProperty("output_config").GetRawText());
        Assert.False(Body(Request(""","response_format":{"type":"text"}""")).TryGetProperty("output_config", out _));
        Assert.Equal("response_format.json_schema.schema", Invalid(Request(""","response_format":{"type":"json_schema","json_schema":{"name":"x"}}""")).Param);
    }

    [Theory]
    [InlineData("[]", null)]
    [InlineData("\"text\"", null)]
    [InlineData("""{"messages":[]}""", "model")]
    [InlineData("""{"model":"m"}""", "messages")]
    [InlineData("""{"model":"m","messages":"hi"}""", "messages")]
    [InlineData("""{"model":"m","messages":[]}""", "messages")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"}],"n":2}""", "n")]
    [InlineData("""{"model":"m","messages":[{"role":"wizard","content":"a"}]}""", "messages[0].role")]
    [InlineData("""{"model":"m","messages":[{"content":"a"}]}""", "messages[0].role")]
    [InlineData("""{"model":"m","messages":["a"]}""", "messages[0]")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"},{"role":"user","content":42}]}""", "messages[1].content")]
    [InlineData("""{"model":"m","messages":[{"role":"user"}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","messages":[{"role":"tool","content":"x"}]}""", "messages[0].tool_call_id")]
    [InlineData("""{"model":"m","messages":[{"role":"system","content":"only system"}]}""", "messages")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"}],"max_tokens":"lots"}""", "max_tokens")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"}],"max_tokens":0}""", "max_tokens")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"}],"temperature":3}""", "temperature")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"}],"stream":"yes"}""", "stream")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"}],"stop":5}""", "stop")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"}],"reasoning_effort":"extreme"}""", "reasoning_effort")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"}],"thinking":{"type":"sometimes"}}""", "thinking.type")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"}],"tools":[{"type":"retrieval"}]}""", "tools[0].type")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"}],"tools":[{"type":"function","function":{}}]}""", "tools[0].function.name")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"}],"tool_choice":"sometimes","tools":[{"type":"function","function":{"name":"t"}}]}""", "tool_choice")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"}],"response_format":{"type":"yaml"}}""", "response_format.type")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"},{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"t","arguments":"{}"}}]}]}""", "messages[1].tool_calls[0].id")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b","reasoning_content":7}]}""", "messages[1].reasoning_content")]
    public void Bad_input_is_a_400_naming_the_field(string json, string? param)
    {
        var error = Invalid(json);
        Assert.Equal(param, error.Param);
        if (param is not null)
        {
            Assert.Contains(param, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void More_than_128_tools_is_a_400()
    {
        var tools = string.Join(",", Enumerable.Range(0, 129).Select(i => $$$"""{"type":"function","function":{"name":"t{{{i}}}"}}"""));
        Assert.Equal("tools", Invalid(Request($$""","tools":[{{tools}}]""")).Param);
    }

    [Fact]
    public void Reasoning_content_with_a_known_signature_becomes_a_leading_thinking_block()
    {
        var memory = new DictionaryReasoningMemory();
        memory.Remember(ReasoningKeys.ForReasoningText("Think first."), new ReasoningEntry("Think first.", "sig-1"));
        var body = Body(Request(""","reasoning_effort":"high","n":1""", """
            [{"role":"user","content":"q"},{"role":"assistant","content":"answer","reasoning_content":"Think first."},{"role":"user","content":"q2"},
             {"role":"assistant","content":"answer 2","reasoning_content":"Unknown thoughts."},{"role":"user","content":"q3"}]
            """), memory);
        Assert.Equal("""[{"type":"thinking","thinking":"Think first.","signature":"sig-1"},{"type":"text","text":"answer"}]""",
            body.GetProperty("messages")[1].GetProperty("content").GetRawText());
        // No signature known: the thinking block would be rejected upstream, so it is left out.
        Assert.Equal("""[{"type":"text","text":"answer 2"}]""", body.GetProperty("messages")[3].GetProperty("content").GetRawText());
    }

    [Fact]
    public void Unsigned_entries_are_never_replayed()
    {
        var memory = new DictionaryReasoningMemory();
        memory.Remember(ReasoningKeys.ForReasoningText("DeepSeek reasoning"), new ReasoningEntry("DeepSeek reasoning"));
        memory.Remember(ReasoningKeys.ForToolCalls(["t1"]), new ReasoningEntry("DeepSeek reasoning"));
        var body = Body(Request(messages: """
            [{"role":"user","content":"q"},{"role":"assistant","reasoning_content":"DeepSeek reasoning","tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"t1","content":"r"}]
            """), memory);
        Assert.Equal("tool_use", body.GetProperty("messages")[1].GetProperty("content")[0].GetProperty("type").GetString());
    }

    [Fact]
    public void Thinking_is_turned_off_inside_a_tool_loop_whose_signed_reasoning_is_unknown()
    {
        const string messages = """
            [{"role":"user","content":"q"},{"role":"assistant","tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"t1","content":"r"}]
            """;
        var translated = Translate(Request(""","reasoning_effort":"high","n":1""", messages));
        Assert.False(translated.Thinking);
        Assert.Equal(ThinkingFallback.UnsignedToolLoop, translated.ThinkingFallback);

        var memory = new DictionaryReasoningMemory();
        memory.Remember(ReasoningKeys.ForToolCalls(["t1"]), new ReasoningEntry("hmm", "sig"));
        var signed = Translate(Request(""","reasoning_effort":"high","n":1""", messages), memory);
        Assert.True(signed.Thinking);
        Assert.Equal(ThinkingFallback.None, signed.ThinkingFallback);
    }

    [Fact]
    public void Non_ascii_text_is_written_unescaped_and_round_trips()
    {
        var translated = Translate(Request(messages: """[{"role":"user","content":"你好 <b>&</b> 🎉"}]"""));
        // Relaxed escaping: CJK and markup stay as they are (System.Text.Json still escapes astral characters such as emoji).
        Assert.Contains("你好 <b>&</b>", Text(translated.Body), StringComparison.Ordinal);
        Assert.Equal("你好 <b>&</b> 🎉", Parse(translated.Body).GetProperty("messages")[0].GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void Translate_rejects_a_missing_upstream_model()
    {
        using var document = JsonDocument.Parse(Request());
        var translator = new ChatToMessagesRequestTranslator(new DictionaryReasoningMemory());
        Assert.ThrowsAny<ArgumentException>(() => translator.Translate(document.RootElement, ""));
        Assert.Throws<ArgumentNullException>(() => new ChatToMessagesRequestTranslator(null!));
    }
}
