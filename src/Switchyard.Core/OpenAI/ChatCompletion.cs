using System.Text.Json.Serialization;

namespace Switchyard.OpenAI;

/// <summary>A non-streaming Chat Completions response.</summary>
public sealed record ChatCompletion
{
    /// <summary>The upstream's id.</summary>
    [JsonPropertyName("id")] public string? Id { get; init; }

    /// <summary>"chat.completion".</summary>
    [JsonPropertyName("object")] public string? Object { get; init; }

    /// <summary>Unix seconds.</summary>
    [JsonPropertyName("created")] public long Created { get; init; }

    /// <summary>The model that served.</summary>
    [JsonPropertyName("model")] public string? Model { get; init; }

    /// <summary>The build fingerprint.</summary>
    [JsonPropertyName("system_fingerprint")] public string? SystemFingerprint { get; init; }

    /// <summary>The choices (DeepSeek always returns one).</summary>
    [JsonPropertyName("choices")] public IReadOnlyList<ChatChoice>? Choices { get; init; }

    /// <summary>Token usage.</summary>
    [JsonPropertyName("usage")] public ChatUsage? Usage { get; init; }
}

/// <summary>One choice of a non-streaming response.</summary>
public sealed record ChatChoice
{
    /// <summary>The index.</summary>
    [JsonPropertyName("index")] public int Index { get; init; }

    /// <summary>The assistant message.</summary>
    [JsonPropertyName("message")] public ChatResponseMessage? Message { get; init; }

    /// <summary>Log probabilities; Switchyard writes <c>null</c>, as DeepSeek does without <c>logprobs</c>.</summary>
    [JsonPropertyName("logprobs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public System.Text.Json.JsonElement? Logprobs { get; init; }

    /// <summary>Why generation ended.</summary>
    [JsonPropertyName("finish_reason")] public string? FinishReason { get; init; }
}

/// <summary>The assistant message of a response, or the delta of a stream chunk.</summary>
public sealed record ChatResponseMessage
{
    /// <summary>"assistant".</summary>
    [JsonPropertyName("role")] public string? Role { get; init; }

    /// <summary>The answer text; written even when null, as a completion's message always has <c>content</c>.</summary>
    [JsonPropertyName("content")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Content { get; init; }

    /// <summary>DeepSeek's chain of thought.</summary>
    [JsonPropertyName("reasoning_content")] public string? ReasoningContent { get; init; }

    /// <summary>Tool calls; in stream deltas these are fragments keyed by <see cref="ChatToolCallDelta.Index"/>.</summary>
    [JsonPropertyName("tool_calls")] public IReadOnlyList<ChatToolCallDelta>? ToolCalls { get; init; }
}

/// <summary>A tool call, whole (responses) or a fragment (stream deltas).</summary>
public sealed record ChatToolCallDelta
{
    /// <summary>Position of the call; streams key fragments by it.</summary>
    [JsonPropertyName("index")] public int? Index { get; init; }

    /// <summary>The call id (first fragment only in streams).</summary>
    [JsonPropertyName("id")] public string? Id { get; init; }

    /// <summary>"function".</summary>
    [JsonPropertyName("type")] public string? Type { get; init; }

    /// <summary>Name and (a fragment of) the arguments.</summary>
    [JsonPropertyName("function")] public ChatFunctionCall? Function { get; init; }
}

/// <summary>Usage in DeepSeek's shape (OpenAI's plus cache hit/miss counts).</summary>
public sealed record ChatUsage
{
    /// <summary>All input tokens.</summary>
    [JsonPropertyName("prompt_tokens")] public int PromptTokens { get; init; }

    /// <summary>Output tokens, reasoning included.</summary>
    [JsonPropertyName("completion_tokens")] public int CompletionTokens { get; init; }

    /// <summary>Sum of the two.</summary>
    [JsonPropertyName("total_tokens")] public int TotalTokens { get; init; }

    /// <summary>OpenAI's cached-token detail, mirrored by DeepSeek.</summary>
    [JsonPropertyName("prompt_tokens_details")] public ChatPromptTokensDetails? PromptTokensDetails { get; init; }

    /// <summary>Input tokens served from DeepSeek's prefix cache.</summary>
    [JsonPropertyName("prompt_cache_hit_tokens")] public int? PromptCacheHitTokens { get; init; }

    /// <summary>Input tokens not in the cache.</summary>
    [JsonPropertyName("prompt_cache_miss_tokens")] public int? PromptCacheMissTokens { get; init; }

    /// <summary>Reasoning token detail.</summary>
    [JsonPropertyName("completion_tokens_details")] public ChatCompletionTokensDetails? CompletionTokensDetails { get; init; }

    /// <summary>Cache hits, from whichever field the upstream filled.</summary>
    [JsonIgnore] public int CacheHitTokens => PromptCacheHitTokens ?? PromptTokensDetails?.CachedTokens ?? 0;

    /// <summary>Cache misses: the explicit count, or the prompt total minus the hits.</summary>
    [JsonIgnore] public int CacheMissTokens => PromptCacheMissTokens ?? Math.Max(0, PromptTokens - CacheHitTokens);
}

/// <summary>Input token details.</summary>
public sealed record ChatPromptTokensDetails
{
    /// <summary>Cached input tokens.</summary>
    [JsonPropertyName("cached_tokens")] public int? CachedTokens { get; init; }
}

/// <summary>Output token details.</summary>
public sealed record ChatCompletionTokensDetails
{
    /// <summary>Reasoning tokens within the completion.</summary>
    [JsonPropertyName("reasoning_tokens")] public int? ReasoningTokens { get; init; }
}

/// <summary>One chunk of a streaming response.</summary>
public sealed record ChatCompletionChunk
{
    /// <summary>Same on every chunk.</summary>
    [JsonPropertyName("id")] public string? Id { get; init; }

    /// <summary>"chat.completion.chunk".</summary>
    [JsonPropertyName("object")] public string? Object { get; init; }

    /// <summary>Unix seconds.</summary>
    [JsonPropertyName("created")] public long Created { get; init; }

    /// <summary>The model.</summary>
    [JsonPropertyName("model")] public string? Model { get; init; }

    /// <summary>The choices, each with a delta.</summary>
    [JsonPropertyName("choices")] public IReadOnlyList<ChatChunkChoice>? Choices { get; init; }

    /// <summary>Usage; DeepSeek sends it on the last content chunk.</summary>
    [JsonPropertyName("usage")] public ChatUsage? Usage { get; init; }
}

/// <summary>A choice inside a stream chunk.</summary>
public sealed record ChatChunkChoice
{
    /// <summary>The index.</summary>
    [JsonPropertyName("index")] public int Index { get; init; }

    /// <summary>What this chunk adds.</summary>
    [JsonPropertyName("delta")] public ChatResponseMessage? Delta { get; init; }

    /// <summary>Set on the final chunk.</summary>
    [JsonPropertyName("finish_reason")] public string? FinishReason { get; init; }
}

/// <summary>An OpenAI-style error body: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public sealed record ChatErrorBody
{
    /// <summary>The error.</summary>
    [JsonPropertyName("error")] public ChatError? Error { get; init; }
}

/// <summary>The error inside <see cref="ChatErrorBody"/>.</summary>
public sealed record ChatError
{
    /// <summary>Human-readable message.</summary>
    [JsonPropertyName("message")] public string? Message { get; init; }

    /// <summary>Error type.</summary>
    [JsonPropertyName("type")] public string? Type { get; init; }

    /// <summary>The offending parameter; written as null when there is none, as OpenAI and DeepSeek do.</summary>
    [JsonPropertyName("param")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Param { get; init; }

    /// <summary>Error code (DeepSeek sends a string).</summary>
    [JsonPropertyName("code")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public System.Text.Json.JsonElement? Code { get; init; }
}
