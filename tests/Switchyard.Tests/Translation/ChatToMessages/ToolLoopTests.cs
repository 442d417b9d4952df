using System.Text.Json;
using Switchyard.Translation;
using Switchyard.Translation.ChatToMessages;
using static Switchyard.Tests.Translation.ChatToMessages.ChatToMessagesFixture;

namespace Switchyard.Tests.Translation.ChatToMessages;

/// <summary>Whole conversations: request → upstream answer → the client's next request, through one reasoning memory.</summary>
public sealed class ToolLoopTests
{
    private const string Tools = ""","tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]""";

    [Fact]
    public void Streamed_tool_loop_where_the_client_drops_reasoning_content_replays_the_signed_thinking_block()
    {
        var memory = new DictionaryReasoningMemory();

        // Turn 1: the client asks, with thinking on.
        var first = Translate(Request(""","reasoning_effort":"high","stream":true""" + Tools, """[{"role":"user","content":"Weather in Paris and Rome?"}]"""), memory);
        Assert.True(first.Thinking);

        // The upstream thinks, then calls two tools in parallel.
        var stream = new MessagesToChatStreamTranslator(memory, first.IncludeUsage);
        var chunks = new List<byte[]>();
        foreach (var (name, data) in new[]
        {
            ("message_start", """{"type":"message_start","message":{"id":"msg_1","model":"claude-x","content":[],"usage":{"input_tokens":50,"output_tokens":1}}}"""),
            ("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"I should call the tool twice."}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCkYIBxgCKkB"}}"""),
            ("content_block_stop", """{"type":"content_block_stop","index":0}"""),
            ("content_block_start", """{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_P","name":"get_weather","input":{}}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\":\"Paris\"}"}}"""),
            ("content_block_stop", """{"type":"content_block_stop","index":1}"""),
            ("content_block_start", """{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_R","name":"get_weather","input":{}}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"city\":\"Rome\"}"}}"""),
            ("content_block_stop", """{"type":"content_block_stop","index":2}"""),
            ("message_delta", """{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":40}}"""),
            ("message_stop", """{"type":"message_stop"}"""),
        })
        {
            stream.Process(name, Parse(data), chunks);
        }

        Assert.True(stream.IsComplete);
        Assert.Equal("tool_calls", Parse(chunks[^1]).GetProperty("choices")[0].GetProperty("finish_reason").GetString());

        // Turn 2: the client (like most OpenAI SDK users) sends the assistant turn back WITHOUT reasoning_content.
        var second = Translate(Request(""","reasoning_effort":"high","stream":true""" + Tools, """
            [{"role":"user","content":"Weather in Paris and Rome?"},
             {"role":"assistant","content":null,"tool_calls":[
               {"id":"toolu_P","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
               {"id":"toolu_R","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},
             {"role":"tool","tool_call_id":"toolu_P","content":"18°C, sunny"},
             {"role":"tool","tool_call_id":"toolu_R","content":"22°C, cloudy"}]
            """), memory);
        Assert.True(second.Thinking);
        Assert.Equal(ThinkingFallback.None, second.ThinkingFallback);
        var body = Parse(second.Body);
        Assert.Equal(["user", "assistant", "user"], Roles(body));
        var assistant = body.GetProperty("messages")[1].GetProperty("content");
        Assert.Equal("""{"type":"thinking","thinking":"I should call the tool twice.","signature":"EqQBCkYIBxgCKkB"}""", assistant[0].GetRawText());
        Assert.Equal("toolu_P", assistant[1].GetProperty("id").GetString());
        Assert.Equal("toolu_R", assistant[2].GetProperty("id").GetString());
        var results = body.GetProperty("messages")[2].GetProperty("content");
        Assert.Equal(["toolu_P", "toolu_R"], results.EnumerateArray().Select(r => r.GetProperty("tool_use_id").GetString()!).ToArray());
        Assert.Equal("18°C, sunny", results[0].GetProperty("content").GetString());
    }

    [Fact]
    public void Non_streamed_tool_loop_that_keeps_reasoning_content_replays_it_by_text_and_later_turns_keep_it()
    {
        var memory = new DictionaryReasoningMemory();
        var completion = Parse(new MessagesToChatResponseTranslator(memory).Translate(Parse("""
            {"id":"msg_2","model":"claude-x","content":[{"type":"thinking","thinking":"Look it up.","signature":"sig-L"},
              {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Oslo"}}],
             "stop_reason":"tool_use","usage":{"input_tokens":5,"output_tokens":6}}
            """)).Body);
        var message = completion.GetProperty("choices")[0].GetProperty("message");

        // The client echoes the assistant message exactly as received (DeepSeek's documented rule), then a later user turn.
        var next = Body(Request(""","thinking":{"type":"enabled"}""" + Tools, $$"""
            [{"role":"user","content":"Oslo?"},{{message.GetRawText()}},
             {"role":"tool","tool_call_id":"toolu_1","content":"-3°C"},
             {"role":"assistant","content":"It is -3°C in Oslo."},
             {"role":"user","content":"Thanks!"}]
            """), memory);
        var assistant = next.GetProperty("messages")[1].GetProperty("content");
        Assert.Equal("""{"type":"thinking","thinking":"Look it up.","signature":"sig-L"}""", assistant[0].GetRawText());
        Assert.Equal("""{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Oslo"}}""", assistant[1].GetRawText());
        Assert.Equal(["user", "assistant", "user", "assistant", "user"], Roles(next));
    }

    [Fact]
    public void Reasoning_from_another_conversation_is_not_attached_to_unrelated_tool_calls()
    {
        var memory = new DictionaryReasoningMemory();
        _ = new MessagesToChatResponseTranslator(memory).Translate(Parse("""
            {"id":"msg_3","model":"m","content":[{"type":"thinking","thinking":"x","signature":"s"},{"type":"tool_use","id":"toolu_known","name":"f","input":{}}],"stop_reason":"tool_use","usage":{"input_tokens":1,"output_tokens":1}}
            """));
        var translated = Translate(Request(""","reasoning_effort":"low","n":1""", """
            [{"role":"user","content":"q"},{"role":"assistant","tool_calls":[{"id":"toolu_other","type":"function","function":{"name":"f","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"toolu_other","content":"r"}]
            """), memory);
        Assert.Equal(ThinkingFallback.UnsignedToolLoop, translated.ThinkingFallback);
        Assert.Equal("tool_use", Parse(translated.Body).GetProperty("messages")[1].GetProperty("content")[0].GetProperty("type").GetString());
    }
}
