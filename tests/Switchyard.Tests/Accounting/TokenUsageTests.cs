using System.Text.Json;
using Switchyard.Accounting;
using Switchyard.OpenAI;

namespace Switchyard.Tests.Accounting;

public sealed class TokenUsageTests
{
    [Fact]
    public void Chat_usage_counts_cache_writes_as_misses_and_reports_reasoning_only_when_known()
    {
        var usage = new TokenUsage(CacheMissTokens: 10, CacheHitTokens: 100, CacheWriteTokens: 5, OutputTokens: 7, ReasoningTokens: 3);
        Assert.Equal(
            """{"prompt_tokens":115,"completion_tokens":7,"total_tokens":122,"prompt_tokens_details":{"cached_tokens":100},"prompt_cache_hit_tokens":100,"prompt_cache_miss_tokens":15}""",
            JsonSerializer.Serialize(usage.ToChat(withReasoning: false), OpenAIJsonContext.Default.ChatUsage));
        Assert.Equal(3, usage.ToChat(withReasoning: true).CompletionTokensDetails?.ReasoningTokens);

        // Back again: DeepSeek's usage reads as the same counts (cache writes are misses on that side).
        Assert.Equal(usage with { CacheMissTokens = 15, CacheWriteTokens = 0 }, TokenUsage.FromChat(usage.ToChat(withReasoning: true)));
    }
}
