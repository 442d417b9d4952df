using System.Text;
using System.Text.Json;
using Switchyard.Lanes.ChatToChat;

namespace Switchyard.Tests.Lanes.ChatToChat;

/// <summary>What the Chat → Chat relay learns from each passed-through chunk, and the usage-only chunk it adds.</summary>
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
