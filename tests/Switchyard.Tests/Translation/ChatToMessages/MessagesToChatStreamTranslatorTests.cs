using System.Text;
using System.Text.Json;
using Switchyard.Errors;
using Switchyard.Memory;
using Switchyard.Translation.ChatToMessages;
using static Switchyard.Tests.Translation.ChatToMessages.ChatToMessagesFixture;

namespace Switchyard.Tests.Translation.ChatToMessages;

public sealed class MessagesToChatStreamTranslatorTests
{
    private static readonly FixedTime Clock = new(DateTimeOffset.FromUnixTimeSeconds(1_760_000_000));

    private static readonly string Start = Event("message_start",
        """{"type":"message_start","message":{"id":"msg_S1","type":"message","role":"assistant","model":"claude-x","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":20,"cache_creation_input_tokens":0,"cache_read_input_tokens":80,"output_tokens":1}}}""");

    /// <summary>Runs an SSE transcript (event/data line pairs) through a translator.</summary>
    private static List<JsonElement> Run(string sse, bool includeUsage = false, DictionaryReasoningMemory? memory = null, MessagesToChatStreamTranslator? translator = null)
    {
        translator ??= new MessagesToChatStreamTranslator(memory ?? new DictionaryReasoningMemory(), includeUsage, Clock);
        var output = new List<byte[]>();
        string? name = null;
        foreach (var line in sse.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                translator.Process(name, Parse(line["data: ".Length..]), output);
                name = null;
            }
        }

        return [.. output.Select(Parse)];
    }

    private static string Event(string name, string data) => $"event: {name}\ndata: {data}\n";

    private static string Delta(int index, string delta) =>
        Event("content_block_delta", $$"""{"type":"content_block_delta","index":{{index}},"delta":{{delta}}}""");

    private static string BlockStart(int index, string block) =>
        Event("content_block_start", $$"""{"type":"content_block_start","index":{{index}},"content_block":{{block}}}""");

    private static string BlockStop(int index) => Event("content_block_stop", $$"""{"type":"content_block_stop","index":{{index}}}""");

    private static string End(string stopReason, int output = 30) =>
        Event("message_delta", $$$"""{"type":"message_delta","delta":{"stop_reason":"{{{stopReason}}}","stop_sequence":null},"usage":{"output_tokens":{{{output}}}}}""")
        + Event("message_stop", """{"type":"message_stop"}""");

    private static JsonElement DeltaOf(JsonElement chunk) => chunk.GetProperty("choices")[0].GetProperty("delta");

    [Fact]
    public void Text_stream_becomes_chunks_with_role_content_and_a_final_chunk_with_usage()
    {
        var chunks = Run(Start + BlockStart(0, """{"type":"text","text":""}""") + Event("ping", """{"type":"ping"}""")
            + Delta(0, """{"type":"text_delta","text":"Hel"}""") + Delta(0, """{"type":"text_delta","text":"lo"}""") + BlockStop(0) + End("end_turn"));
        Assert.Equal(4, chunks.Count);
        Assert.All(chunks, c =>
        {
            Assert.Equal("chatcmpl-S1", c.GetProperty("id").GetString());
            Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString());
            Assert.Equal(1_760_000_000, c.GetProperty("created").GetInt64());
            Assert.Equal("claude-x", c.GetProperty("model").GetString());
        });
        Assert.Equal("""{"role":"assistant","content":""}""", DeltaOf(chunks[0]).GetRawText());
        Assert.Equal("Hel", DeltaOf(chunks[1]).GetProperty("content").GetString());
        Assert.Equal("lo", DeltaOf(chunks[2]).GetProperty("content").GetString());
        Assert.Equal("{}", DeltaOf(chunks[3]).GetRawText());
        Assert.Equal("stop", chunks[3].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(
            """{"prompt_tokens":100,"completion_tokens":30,"total_tokens":130,"prompt_tokens_details":{"cached_tokens":80},"prompt_cache_hit_tokens":80,"prompt_cache_miss_tokens":20}""",
            chunks[3].GetProperty("usage").GetRawText());
        // Without include_usage, the other chunks have no usage field at all (DeepSeek's way).
        Assert.All(chunks.Take(3), c => Assert.False(c.TryGetProperty("usage", out _)));
        Assert.All(chunks.Take(3), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind));
    }

    [Fact]
    public void Include_usage_adds_null_usage_everywhere_and_a_usage_only_chunk()
    {
        var translator = new MessagesToChatStreamTranslator(new DictionaryReasoningMemory(), includeUsage: true, Clock);
        var chunks = Run(Start + BlockStart(0, """{"type":"text","text":""}""") + Delta(0, """{"type":"text_delta","text":"Hi"}""") + BlockStop(0) + End("max_tokens", 5),
            translator: translator);
        Assert.Equal(4, chunks.Count);
        Assert.All(chunks.Take(2), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind));
        Assert.Equal("length", chunks[2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(5, chunks[2].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal("[]", chunks[3].GetProperty("choices").GetRawText());
        Assert.Equal(105, chunks[3].GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.Equal("chatcmpl-S1", chunks[3].GetProperty("id").GetString());
        Assert.True(translator.IsComplete);
    }

    [Fact]
    public void Thinking_and_parallel_tool_calls_stream_with_openai_indices_and_signatures_are_remembered()
    {
        var memory = new DictionaryReasoningMemory();
        var chunks = Run(Start
            + BlockStart(0, """{"type":"thinking","thinking":"","signature":""}""")
            + Delta(0, """{"type":"thinking_delta","thinking":"Two cities, "}""")
            + Delta(0, """{"type":"thinking_delta","thinking":"two calls."}""")
            + Delta(0, """{"type":"signature_delta","signature":"sig-T"}""")
            + BlockStop(0)
            + BlockStart(1, """{"type":"text","text":""}""") + Delta(1, """{"type":"text_delta","text":"Checking."}""") + BlockStop(1)
            + BlockStart(2, """{"type":"tool_use","id":"toolu_A","name":"w","input":{}}""")
            + Delta(2, """{"type":"input_json_delta","partial_json":""}""")
            + Delta(2, """{"type":"input_json_delta","partial_json":"{\"city\": \"Pa"}""")
            + Delta(2, """{"type":"input_json_delta","partial_json":"ris\"}"}""")
            + BlockStop(2)
            + BlockStart(3, """{"type":"tool_use","id":"toolu_B","name":"w","input":{}}""")
            + Delta(3, """{"type":"input_json_delta","partial_json":"{\"city\": \"Rome\"}"}""")
            + BlockStop(3)
            + End("tool_use"), memory: memory);

        var deltas = chunks.Select(DeltaOf).ToList();
        Assert.Equal("Two cities, ", deltas[1].GetProperty("reasoning_content").GetString());
        Assert.Equal("two calls.", deltas[2].GetProperty("reasoning_content").GetString());
        Assert.Equal("Checking.", deltas[3].GetProperty("content").GetString());
        Assert.Equal("""{"tool_calls":[{"index":0,"id":"toolu_A","type":"function","function":{"name":"w","arguments":""}}]}""", deltas[4].GetRawText());
        Assert.Equal("""{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\": \"Pa"}}]}""", deltas[5].GetRawText());
        Assert.Equal("""{"tool_calls":[{"index":0,"function":{"arguments":"ris\"}"}}]}""", deltas[6].GetRawText());
        Assert.Equal(1, deltas[7].GetProperty("tool_calls")[0].GetProperty("index").GetInt32());
        Assert.Equal("toolu_B", deltas[7].GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal(1, deltas[8].GetProperty("tool_calls")[0].GetProperty("index").GetInt32());
        Assert.Equal("tool_calls", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(10, chunks.Count);

        Assert.Equal(new ReasoningEntry("Two cities, two calls.", "sig-T"), memory.Entries[ReasoningKeys.ForReasoningText("Two cities, two calls.")]);
        Assert.Equal(new ReasoningEntry("Two cities, two calls.", "sig-T"), memory.Entries[ReasoningKeys.ForToolCalls(["toolu_A", "toolu_B"])]);
    }

    [Fact]
    public void Consecutive_thinking_blocks_are_separated_like_the_non_streaming_response()
    {
        var memory = new DictionaryReasoningMemory();
        var chunks = Run(Start
            + BlockStart(0, """{"type":"thinking","thinking":"","signature":""}""") + Delta(0, """{"type":"thinking_delta","thinking":"One."}""")
            + Delta(0, """{"type":"signature_delta","signature":"s1"}""") + BlockStop(0)
            + BlockStart(1, """{"type":"tool_use","id":"toolu_1","name":"f","input":{}}""") + BlockStop(1)
            + BlockStart(2, """{"type":"thinking","thinking":"","signature":""}""") + Delta(2, """{"type":"thinking_delta","thinking":"Two."}""")
            + Delta(2, """{"type":"signature_delta","signature":"s2"}""") + BlockStop(2)
            + End("tool_use"), memory: memory);
        var reasoning = string.Concat(chunks.Select(DeltaOf).Where(d => d.TryGetProperty("reasoning_content", out _)).Select(d => d.GetProperty("reasoning_content").GetString()));
        Assert.Equal("One.\n\nTwo.", reasoning);
        // A tool call without input deltas still gets complete arguments.
        Assert.Contains(chunks.Select(DeltaOf), d => d.TryGetProperty("tool_calls", out var calls) && calls[0].GetProperty("function").TryGetProperty("arguments", out var a) && a.GetString() == "{}");
        Assert.StartsWith("sy-blocks:", memory.Entries[ReasoningKeys.ForReasoningText("One.\n\nTwo.")].Signature, StringComparison.Ordinal);
        Assert.Equal("s2", memory.Entries[ReasoningKeys.ForReasoningText("Two.")].Signature);
    }

    [Fact]
    public void Error_events_throw_a_gateway_exception_that_becomes_an_openai_error_chunk()
    {
        var translator = new MessagesToChatStreamTranslator(new DictionaryReasoningMemory(), includeUsage: false, Clock);
        Run(Start, translator: translator);
        var error = Assert.Throws<GatewayException>(() => Run(
            Event("error", """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""), translator: translator));
        Assert.Equal(GatewayErrorKind.Overloaded, error.Kind);
        Assert.Equal("Overloaded", error.Message);
        var chunk = Parse(ErrorBodies.OpenAIBytes(error));
        Assert.Equal("""{"error":{"message":"Overloaded","type":"server_overloaded","param":null,"code":"server_overloaded"}}""", chunk.GetRawText());
        Assert.False(translator.IsComplete);
        Assert.Throws<GatewayException>(translator.Complete);

        Assert.Equal(GatewayErrorKind.RateLimit, ErrorBodies.FromAnthropic(Parse("""{"type":"error","error":{"type":"rate_limit_error","message":"slow"}}""")).Kind);
        var auth = ErrorBodies.FromAnthropic(Parse("""{"type":"error","error":{"type":"authentication_error","message":"bad key sk-123"}}"""));
        Assert.Equal(GatewayErrorKind.Api, auth.Kind);
        Assert.DoesNotContain("sk-", auth.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Event_names_default_to_the_data_type_and_message_stop_completes()
    {
        var translator = new MessagesToChatStreamTranslator(new DictionaryReasoningMemory(), includeUsage: false, Clock);
        var output = new List<byte[]>();
        translator.Process(null, Parse("""{"type":"message_start","message":{"id":"msg_Z","model":"m","usage":{"input_tokens":1,"output_tokens":1}}}"""), output);
        translator.Process("message", Parse("""{"type":"message_stop"}"""), output);
        Assert.True(translator.IsComplete);
        Assert.Equal(2, output.Count);
        Assert.Equal("stop", Parse(output[1]).GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Contains("\"chatcmpl-Z\"", Encoding.UTF8.GetString(output[0]), StringComparison.Ordinal);
    }
}

public sealed class MessagesToChatStreamRobustnessTests
{
    [Fact]
    public void Malformed_events_are_ignored_and_a_cut_stream_is_an_error()
    {
        var translator = new MessagesToChatStreamTranslator(new DictionaryReasoningMemory(), includeUsage: false);
        var output = new List<byte[]>();
        translator.Process("message_delta", ChatToMessagesFixture.Parse("[1,2]"), output);
        translator.Process("content_block_start", ChatToMessagesFixture.Parse("""{"type":"content_block_start","index":0,"content_block":"text"}"""), output);
        translator.Process("content_block_delta", ChatToMessagesFixture.Parse("""{"type":"content_block_delta","index":7,"delta":{"type":"text_delta","text":"x"}}"""), output);
        translator.Process("something_new", ChatToMessagesFixture.Parse("""{"type":"something_new"}"""), output);
        Assert.Single(output); // the implicit first chunk
        Assert.False(translator.Finished);
        var error = Assert.Throws<Switchyard.Errors.GatewayException>(translator.Complete);
        Assert.Equal(Switchyard.Errors.GatewayErrorKind.Api, error.Kind);
    }
}
