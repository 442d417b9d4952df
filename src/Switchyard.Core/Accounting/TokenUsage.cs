using System.Text.Json;
using Switchyard.Anthropic;
using Switchyard.OpenAI;

namespace Switchyard.Accounting;

/// <summary>
/// Token counts in one shape for every lane, and the one mapping between the two wire formats' usage objects:
/// DeepSeek's <c>prompt_tokens</c> = cache hits + misses, Anthropic's <c>input_tokens</c> = uncached input only.
/// </summary>
/// <param name="CacheMissTokens">Input tokens not read from the cache (Anthropic's <c>input_tokens</c>).</param>
/// <param name="CacheHitTokens">Input tokens read from the upstream's prefix cache.</param>
/// <param name="CacheWriteTokens">Input tokens written to the cache (Anthropic's <c>cache_creation_input_tokens</c>; 0 on DeepSeek).</param>
/// <param name="OutputTokens">Output tokens, reasoning included.</param>
/// <param name="ReasoningTokens">Output tokens spent on reasoning, when reported.</param>
public readonly record struct TokenUsage(int CacheMissTokens, int CacheHitTokens, int CacheWriteTokens, int OutputTokens, int ReasoningTokens)
{
    /// <summary>All input tokens.</summary>
    public int InputTokens => CacheMissTokens + CacheHitTokens + CacheWriteTokens;

    /// <summary>From a Chat Completions <c>usage</c> (DeepSeek's cache fields, or OpenAI's <c>cached_tokens</c>).</summary>
    public static TokenUsage FromChat(ChatUsage? usage) => usage is null
        ? default
        : new(usage.CacheMissTokens, usage.CacheHitTokens, 0, usage.CompletionTokens, usage.CompletionTokensDetails?.ReasoningTokens ?? 0);

    /// <summary>
    /// Reads a Chat Completions <c>usage</c> object as JSON, the reader on its first token (left on its last), with the
    /// same reading as <see cref="ChatUsage"/>'s: DeepSeek's cache fields when present, else OpenAI's <c>cached_tokens</c>.
    /// </summary>
    /// <exception cref="JsonException">The value is not well-formed JSON.</exception>
    public static TokenUsage ReadChat(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return default;
        }

        int prompt = 0, completion = 0, cached = 0, reasoning = 0;
        int? hit = null, miss = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                prompt = ReadInt(ref reader);
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                completion = ReadInt(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_cache_hit_tokens"u8))
            {
                hit = ReadInt(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_cache_miss_tokens"u8))
            {
                miss = ReadInt(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                cached = ReadNestedInt(ref reader, "cached_tokens"u8);
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8))
            {
                reasoning = ReadNestedInt(ref reader, "reasoning_tokens"u8);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        var hits = hit ?? cached;
        return new(miss ?? Math.Max(0, prompt - hits), hits, 0, completion, reasoning);
    }

    /// <summary>The number after the property name the reader is on; 0 when it is not an <see cref="int"/>.</summary>
    private static int ReadInt(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number))
        {
            return number;
        }

        reader.Skip();
        return 0;
    }

    /// <summary>One number property of the object after the property name the reader is on; 0 when absent.</summary>
    private static int ReadNestedInt(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return 0;
        }

        var value = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                value = ReadInt(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return value;
    }

    /// <summary>From a Messages <c>usage</c> object.</summary>
    public static TokenUsage FromAnthropic(MessageUsage? usage, int reasoningTokens = 0) => usage is null
        ? default
        : new(usage.InputTokens, usage.CacheReadInputTokens, usage.CacheCreationInputTokens, usage.OutputTokens, reasoningTokens);

    /// <summary>
    /// Applies the counts present in a Messages <c>usage</c> object as JSON (stream usage is cumulative: a later
    /// <c>message_delta</c> overrides what <c>message_start</c> said).
    /// </summary>
    public TokenUsage UpdateFromAnthropic(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return this;
        }

        var reasoning = ReasoningTokens;
        if (usage.TryGetProperty("output_tokens_details", out var details) && details.ValueKind == JsonValueKind.Object &&
            details.TryGetProperty("thinking_tokens", out var thinking) && thinking.ValueKind == JsonValueKind.Number && thinking.TryGetInt32(out var count))
        {
            reasoning = count;
        }

        return new(
            Present(usage, "input_tokens") ?? CacheMissTokens,
            Present(usage, "cache_read_input_tokens") ?? CacheHitTokens,
            Present(usage, "cache_creation_input_tokens") ?? CacheWriteTokens,
            Present(usage, "output_tokens") ?? OutputTokens,
            reasoning);
    }

    /// <summary>As a Messages <c>usage</c>.</summary>
    public MessageUsage ToAnthropic() => new()
    {
        InputTokens = CacheMissTokens,
        CacheReadInputTokens = CacheHitTokens,
        CacheCreationInputTokens = CacheWriteTokens,
        OutputTokens = OutputTokens,
    };

    /// <summary>
    /// As a Chat Completions <c>usage</c> in DeepSeek's flavour: cache hits both as <c>prompt_cache_hit_tokens</c> and as
    /// OpenAI's <c>prompt_tokens_details.cached_tokens</c>; cache writes count as misses; reasoning tokens only when
    /// <paramref name="withReasoning"/> (the upstream reported them).
    /// </summary>
    public ChatUsage ToChat(bool withReasoning) => new()
    {
        PromptTokens = InputTokens,
        CompletionTokens = OutputTokens,
        TotalTokens = InputTokens + OutputTokens,
        PromptTokensDetails = new ChatPromptTokensDetails { CachedTokens = CacheHitTokens },
        PromptCacheHitTokens = CacheHitTokens,
        PromptCacheMissTokens = CacheMissTokens + CacheWriteTokens,
        CompletionTokensDetails = withReasoning ? new ChatCompletionTokensDetails { ReasoningTokens = ReasoningTokens } : null,
    };

    /// <summary>Writes <see cref="ToChat"/> as a JSON object (the property name is written by the caller).</summary>
    public void WriteChat(Utf8JsonWriter writer, bool withReasoning)
    {
        ArgumentNullException.ThrowIfNull(writer);
        JsonSerializer.Serialize(writer, ToChat(withReasoning), OpenAIJsonContext.Default.ChatUsage);
    }

    private static int? Present(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;
}
