using System.Text;
using System.Text.Json;
using Switchyard.Lanes.ChatToChat;
using Switchyard.Memory;

namespace Switchyard.Tests.Lanes.ChatToChat;

/// <summary>
/// What the Chat → Chat relay learns from each passed-through chunk or whole completion, and the usage-only chunk it adds.
/// </summary>
public sealed class ChatStreamObserverTests
{
    private static bool Observe(ChatStreamObserver observer, string json) => observer.Observe(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Content_is_reasoning_text_a_tool_call_or_completion_text_and_nothing_else()
    {
        var observer = new ChatStreamObserver();
        Assert.False(Observe(observer, """{"id":"c1","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}"""));
        Assert.False(observer.HasContent);
        Assert.False(Observe(observer, """{"choices":[{"index":0,"delta":{"content":null,"reasoning_content":""}}]}"""));
        Assert.True(Observe(observer, """{"choices":[{"index":0,"delta":{"reasoning_content":"th\u0069nk"}}]}"""));
        Assert.True(observer.HasContent);
        Assert.True(Observe(observer, """{"choices":[{"index":0,"delta":{"content":"\n"}}]}"""));
        Assert.True(Observe(observer, """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]}}]}"""));
        Assert.True(Observe(observer, """{"choices":[{"index":0,"text":"def f():","finish_reason":null}]}"""));
        Assert.False(Observe(observer, """{"choices":[{"index":0,"text":"","finish_reason":"stop"}]}"""));
        Assert.False(Observe(observer, "[]"));
        Assert.Equal("stop", observer.FinishReason);
    }

    [Fact]
    public void Reasoning_and_tool_call_ids_are_collected_across_chunks()
    {
        var observer = new ChatStreamObserver();
        Observe(observer, """{"choices":[{"index":0,"delta":{"reasoning_content":"Let me "}}]}""");
        Observe(observer, """{"choices":[{"index":0,"delta":{"reasoning_content":"look \"it\" up \u00e9"}}]}""");
        Observe(observer, """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"a","arguments":""}},{"index":1,"id":"call_2","function":{"name":"b"}}]}}]}""");
        Observe(observer, """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"q\":{\"id\":\"nested\"}}"}}]}}]}""");
        Observe(observer, """{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}""");
        Assert.Equal("Let me look \"it\" up é", observer.Reasoning);
        Assert.Equal(["call_1", "call_2"], observer.ToolCallIds);
        Assert.Equal("tool_calls", observer.FinishReason);
    }

    [Fact]
    public void The_usage_only_chunk_is_built_from_the_first_id_created_and_model_and_the_upstream_usage()
    {
        var observer = new ChatStreamObserver();
        Observe(observer, """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"deepseek-v4-flash","choices":[{"index":0,"delta":{"content":"hi"}}]}""");
        Observe(observer, """{"id":"other","created":5,"model":"other","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15,"prompt_cache_hit_tokens":8}}""");
        Assert.Equal(12, observer.Usage!.Value.InputTokens);
        Assert.Equal(8, observer.Usage.Value.CacheHitTokens);
        Assert.Equal(3, observer.Usage.Value.OutputTokens);

        using var chunk = JsonDocument.Parse(observer.UsageOnlyChunk()!);
        var root = chunk.RootElement;
        Assert.Equal("chatcmpl-1", root.GetProperty("id").GetString());
        Assert.Equal(1700000000, root.GetProperty("created").GetInt64());
        Assert.Equal("deepseek-v4-flash", root.GetProperty("model").GetString());
        Assert.Equal(0, root.GetProperty("choices").GetArrayLength());
        Assert.Equal(15, root.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.Equal(8, root.GetProperty("usage").GetProperty("prompt_cache_hit_tokens").GetInt32());
    }

    [Fact]
    public void No_usage_only_chunk_when_the_upstream_sent_one_or_no_usage()
    {
        var none = new ChatStreamObserver();
        Observe(none, """{"id":"a","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}]}""");
        Assert.Null(none.UsageOnlyChunk());
        Assert.Null(none.Usage);

        var sent = new ChatStreamObserver();
        Observe(sent, """{"id":"a","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}]}""");
        Observe(sent, """{"id":"a","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""");
        Assert.Null(sent.UsageOnlyChunk());
        Assert.Equal(1, sent.Usage!.Value.OutputTokens);
    }

    [Fact]
    public void A_whole_completion_reads_as_one_chunk_with_a_message()
    {
        var observer = new ChatStreamObserver();
        Assert.True(Observe(observer, """
            {"id":"chatcmpl-9","object":"chat.completion","created":1700000000,"model":"deepseek-v4-pro",
             "choices":[{"index":0,"message":{"role":"assistant","content":null,"reasoning_content":"Need the w\u0065ather.",
               "tool_calls":[{"id":"call_a","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}},
                             {"id":"call_b","type":"function","function":{"name":"time","arguments":"{}"}}]},
               "logprobs":null,"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":120,"completion_tokens":40,"total_tokens":160,"prompt_cache_hit_tokens":100,"prompt_cache_miss_tokens":20,
               "completion_tokens_details":{"reasoning_tokens":25}},"system_fingerprint":"fp_1"}
            """));
        Assert.Equal("tool_calls", observer.FinishReason);
        Assert.Equal(["call_a", "call_b"], observer.ToolCallIds);
        Assert.Equal("Need the weather.", observer.Reasoning);
        Assert.Equal(new(CacheMissTokens: 20, CacheHitTokens: 100, CacheWriteTokens: 0, OutputTokens: 40, ReasoningTokens: 25), observer.Usage);

        var memory = new InMemoryReasoningMemory(new ReasoningMemoryOptions());
        observer.RememberReasoning(memory);
        Assert.True(memory.TryRecall(ReasoningKeys.ForToolCalls(["call_a", "call_b"]), out var entry));
        Assert.Equal("Need the weather.", entry.Reasoning);
    }

    [Fact]
    public void A_completion_without_usage_leaves_the_usage_unknown_and_still_gives_the_finish_reason()
    {
        var observer = new ChatStreamObserver();
        Observe(observer, """{"id":"c","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"length"}]}""");
        Assert.Null(observer.Usage);
        Assert.Equal("length", observer.FinishReason);
        Assert.Null(observer.UsageOnlyChunk());

        Observe(observer, """{"id":"c","choices":[{"index":0,"message":{"content":"Hi"},"finish_reason":"stop"}],"usage":null}""");
        Assert.Null(observer.Usage);
    }

    [Fact]
    public void Property_names_nested_inside_messages_arguments_or_extensions_are_not_taken_for_the_top_level_ones()
    {
        var observer = new ChatStreamObserver();
        Observe(observer, """
            {"id":"c","metadata":{"usage":{"prompt_tokens":999,"completion_tokens":999},"finish_reason":"bogus","choices":[{"message":{"tool_calls":[{"id":"meta"}]}}]},
             "choices":[{"index":0,
               "logprobs":{"content":[{"token":"x","finish_reason":"bogus","usage":{"completion_tokens":7}}]},
               "message":{"role":"assistant","content":"{\"usage\":{\"prompt_tokens\":5}}","audio":{"id":"audio_1","data":"","finish_reason":"bogus"},
                 "annotations":[{"id":"ann_1","tool_calls":[{"id":"deep"}]}],
                 "tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","id":"fn_id","arguments":{"id":"nested","usage":{"prompt_tokens":1}}}}]},
               "finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12,
               "prompt_tokens_details":{"cached_tokens":4,"usage":{"prompt_tokens":3}},"completion_tokens_details":{"reasoning_tokens":1,"prompt_tokens":50}}}
            """);
        Assert.Equal("tool_calls", observer.FinishReason);
        Assert.Equal(["call_1"], observer.ToolCallIds);
        Assert.Equal(new(CacheMissTokens: 6, CacheHitTokens: 4, CacheWriteTokens: 0, OutputTokens: 2, ReasoningTokens: 1), observer.Usage);
    }

    [Theory]
    [InlineData("""{"prompt_tokens":50,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":30}}""", 20, 30)]
    [InlineData("""{"prompt_tokens":50,"completion_tokens":5,"prompt_cache_hit_tokens":40,"prompt_tokens_details":{"cached_tokens":30}}""", 10, 40)]
    [InlineData("""{"prompt_tokens":50,"completion_tokens":5,"prompt_cache_hit_tokens":40,"prompt_cache_miss_tokens":12}""", 12, 40)]
    [InlineData("""{"prompt_tokens":50,"completion_tokens":5,"prompt_tokens_details":null}""", 50, 0)]
    [InlineData("""{"prompt_tokens":"50","completion_tokens":5,"prompt_cache_hit_tokens":{"n":1}}""", 0, 0)]
    public void Cached_tokens_come_from_DeepSeek_s_fields_first_then_OpenAI_s(string usage, int misses, int hits)
    {
        var observer = new ChatStreamObserver();
        Observe(observer, "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}],\"usage\":" + usage + "}");
        Assert.Equal(new(CacheMissTokens: misses, CacheHitTokens: hits, CacheWriteTokens: 0, OutputTokens: 5, ReasoningTokens: 0), observer.Usage);
    }

    [Fact]
    public void Reasoning_is_remembered_only_for_a_turn_with_both_reasoning_and_tool_calls()
    {
        var memory = new InMemoryReasoningMemory(new ReasoningMemoryOptions());
        var noTools = new ChatStreamObserver();
        Observe(noTools, """{"choices":[{"index":0,"message":{"content":"Hi","reasoning_content":"thought"},"finish_reason":"stop"}]}""");
        noTools.RememberReasoning(memory);
        var noReasoning = new ChatStreamObserver();
        Observe(noReasoning, """{"choices":[{"index":0,"message":{"content":null,"tool_calls":[{"id":"call_x","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}""");
        noReasoning.RememberReasoning(memory);
        Assert.Equal(0, memory.Count);
    }

    [Theory]
    [InlineData("{\"choices\":[")]
    [InlineData("{\"id\":}")]
    [InlineData("not json")]
    public void A_malformed_chunk_throws_a_JsonException(string json)
    {
        var observer = new ChatStreamObserver();
        Assert.ThrowsAny<JsonException>(() => Observe(observer, json));
    }
}
