using System.Text.Json.Serialization;

namespace Switchyard.Anthropic;

/// <summary>Usage in the Messages API's terms.</summary>
public sealed record MessageUsage
{
    /// <summary>Uncached input tokens.</summary>
    [JsonPropertyName("input_tokens")] public int InputTokens { get; init; }

    /// <summary>Always 0: DeepSeek's cache has no paid writes.</summary>
    [JsonPropertyName("cache_creation_input_tokens")] public int CacheCreationInputTokens { get; init; }

    /// <summary>Input tokens read from the upstream's prefix cache.</summary>
    [JsonPropertyName("cache_read_input_tokens")] public int CacheReadInputTokens { get; init; }

    /// <summary>Output tokens, thinking included.</summary>
    [JsonPropertyName("output_tokens")] public int OutputTokens { get; init; }
}
