using Switchyard.Memory;
using Switchyard.Translation.ChatToMessages;
using static Switchyard.Tests.Translation.ChatToMessages.ChatToMessagesFixture;

namespace Switchyard.Tests.Translation.ChatToMessages;

public sealed class MessagesToChatResponseTranslatorTests
{
    private static readonly FixedTime Clock = new(DateTimeOffset.FromUnixTimeSeconds(1_760_000_000));

    private static System.Text.Json.JsonElement Translate(string message, DictionaryReasoningMemory? memory = null) =>
        Parse(new MessagesToChatResponseTranslator(memory ?? new DictionaryReasoningMemory(), Clock).Translate(Parse(message)).Body);

    [Fact]
    public void Text_message_becomes_a_chat_completion_with_deepseek_usage()
    {
        var completion = Translate("""
            {"id":"msg_01abc","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[{"type":"text","text":"Hello"},{"type":"text","text":", world"}],"stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":10,"cache_creation_input_tokens":5,"cache_read_input_tokens":100,"output_tokens":7}}
            """);
        Assert.Equal("chatcmpl-01abc", completion.GetProperty("id").GetString());
        Assert.Equal("chat.completion", completion.GetProperty("object").GetString());
        Assert.Equal(1_760_000_000, completion.GetProperty("created").GetInt64());
        Assert.Equal("claude-sonnet-4-5-20250929", completion.GetProperty("model").GetString());
        var choice = completion.GetProperty("choices")[0];
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("""{"role":"assistant","content":"Hello, world"}""", choice.GetProperty("message").GetRawText());
        Assert.Equal(
            """{"prompt_tokens":115,"completion_tokens":7,"total_tokens":122,"prompt_tokens_details":{"cached_tokens":100},"prompt_cache_hit_tokens":100,"prompt_cache_miss_tokens":15}""",
            completion.GetProperty("usage").GetRawText());
    }

    [Fact]
    public void Thinking_and_tool_use_become_reasoning_content_and_tool_calls_and_are_remembered()
    {
        var memory = new DictionaryReasoningMemory();
        var completion = Translate("""
            {"id":"msg_1","model":"m","content":[
               {"type":"thinking","thinking":"Need weather.","signature":"sig-a"},
               {"type":"tool_use","id":"toolu_1","name":"w","input":{"city":"Paris"}},
               {"type":"tool_use","id":"toolu_2","name":"w","input":{"city":"Rome"}}],
             "stop_reason":"tool_use","usage":{"input_tokens":1,"output_tokens":2,"output_tokens_details":{"thinking_tokens":1}}}
            """, memory);
        var choice = completion.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var message = choice.GetProperty("message");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, message.GetProperty("content").ValueKind);
        Assert.Equal("Need weather.", message.GetProperty("reasoning_content").GetString());
        Assert.Equal("""{"id":"toolu_1","type":"function","function":{"name":"w","arguments":"{\"city\":\"Paris\"}"}}""", message.GetProperty("tool_calls")[0].GetRawText());
        Assert.Equal("toolu_2", message.GetProperty("tool_calls")[1].GetProperty("id").GetString());
        Assert.Equal(1, completion.GetProperty("usage").GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32());

        Assert.Equal(new ReasoningEntry("Need weather.", "sig-a"), memory.Entries[ReasoningKeys.ForReasoningText("Need weather.")]);
        Assert.Equal(new ReasoningEntry("Need weather.", "sig-a"), memory.Entries[ReasoningKeys.ForToolCalls(["toolu_1", "toolu_2"])]);
    }

    [Fact]
    public void Without_thinking_there_is_no_reasoning_content_and_no_memory()
    {
        var memory = new DictionaryReasoningMemory();
        var message = Translate("""{"id":"msg_1","model":"m","content":[],"stop_reason":"max_tokens","usage":{"input_tokens":1,"output_tokens":2}}""", memory)
            .GetProperty("choices")[0];
        Assert.Equal("""{"role":"assistant","content":""}""", message.GetProperty("message").GetRawText());
        Assert.Equal("length", message.GetProperty("finish_reason").GetString());
        Assert.Empty(memory.Entries);
    }

    [Theory]
    [InlineData("end_turn", false, "stop")]
    [InlineData("stop_sequence", false, "stop")]
    [InlineData("pause_turn", false, "stop")]
    [InlineData("max_tokens", false, "length")]
    [InlineData("model_context_window_exceeded", false, "length")]
    [InlineData("tool_use", true, "tool_calls")]
    [InlineData("refusal", false, "content_filter")]
    [InlineData(null, false, "stop")]
    [InlineData("something_new", true, "tool_calls")]
    public void Stop_reasons_map_to_finish_reasons(string? stopReason, bool hasToolCalls, string expected) =>
        Assert.Equal(expected, Switchyard.Translation.StopReasons.ToFinishReason(stopReason, hasToolCalls));

    [Fact]
    public void Several_thinking_blocks_are_joined_and_remembered_with_a_composite_signature()
    {
        var memory = new DictionaryReasoningMemory();
        var message = Translate("""
            {"id":"msg_1","model":"m","content":[
               {"type":"thinking","thinking":"First.","signature":"s1"},{"type":"redacted_thinking","data":"opaque"},
               {"type":"text","text":"Checking."},{"type":"thinking","thinking":"Second.","signature":"s2"},
               {"type":"tool_use","id":"toolu_9","name":"f","input":{}}],
             "stop_reason":"tool_use","usage":{"input_tokens":1,"output_tokens":2}}
            """, memory).GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("First.\n\nSecond.", message.GetProperty("reasoning_content").GetString());
        Assert.Equal("Checking.", message.GetProperty("content").GetString());
        Assert.Equal("{}", message.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("s1", memory.Entries[ReasoningKeys.ForReasoningText("First.")].Signature);
        Assert.Equal("s2", memory.Entries[ReasoningKeys.ForReasoningText("Second.")].Signature);
        var joined = memory.Entries[ReasoningKeys.ForReasoningText("First.\n\nSecond.")];
        Assert.StartsWith("sy-blocks:", joined.Signature, StringComparison.Ordinal);
        Assert.Equal(joined, memory.Entries[ReasoningKeys.ForToolCalls(["toolu_9"])]);

        // Replaying the turn restores all three blocks, in order, ahead of the text and the tool call.
        var body = Body(Request(""","reasoning_effort":"high","n":1""", """
            [{"role":"user","content":"q"},{"role":"assistant","content":"Checking.","reasoning_content":"First.\n\nSecond.","tool_calls":[{"id":"toolu_9","type":"function","function":{"name":"f","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"toolu_9","content":"done"}]
            """), memory);
        Assert.Equal(
            """[{"type":"thinking","thinking":"First.","signature":"s1"},{"type":"redacted_thinking","data":"opaque"},{"type":"thinking","thinking":"Second.","signature":"s2"},{"type":"text","text":"Checking."},{"type":"tool_use","id":"toolu_9","name":"f","input":{}}]""",
            body.GetProperty("messages")[1].GetProperty("content").GetRawText());
    }

    [Fact]
    public void A_body_that_is_not_a_message_is_an_upstream_error()
    {
        var error = Assert.Throws<Switchyard.Errors.GatewayException>(() => Translate("""{"type":"error"}"""));
        Assert.Equal(Switchyard.Errors.GatewayErrorKind.Api, error.Kind);
    }
}

/// <summary>A clock stopped at one instant.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
