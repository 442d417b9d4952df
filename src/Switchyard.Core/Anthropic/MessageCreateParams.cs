using System.Text.Json.Serialization;

namespace Switchyard.Anthropic;

/// <summary>
/// The body of <c>POST /v1/messages</c> as Switchyard writes it to an Anthropic-format upstream. Absent (null)
/// members are left out; members are written in declaration order.
/// </summary>
public sealed record MessageCreateParams
{
    /// <summary>The upstream's model id.</summary>
    [JsonPropertyName("model")] public required string Model { get; init; }

    /// <summary>The output limit, thinking included.</summary>
    [JsonPropertyName("max_tokens")] public required int MaxTokens { get; init; }

    /// <summary>The system prompt as text blocks.</summary>
    [JsonPropertyName("system")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ContentBlockParam>? System { get; init; }

    /// <summary>The conversation, alternating user and assistant turns (and system turns at their position).</summary>
    [JsonPropertyName("messages")] public required IReadOnlyList<MessageParam> Messages { get; init; }

    /// <summary>Custom stop sequences.</summary>
    [JsonPropertyName("stop_sequences")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? StopSequences { get; init; }

    /// <summary>Sampling temperature, 0–1.</summary>
    [JsonPropertyName("temperature")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Temperature { get; init; }

    /// <summary>Nucleus sampling.</summary>
    [JsonPropertyName("top_p")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TopP { get; init; }

    /// <summary>Request metadata.</summary>
    [JsonPropertyName("metadata")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MetadataParam? Metadata { get; init; }

    /// <summary><see langword="true"/> for a streamed response; null (absent) otherwise.</summary>
    [JsonPropertyName("stream")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Stream { get; init; }

    /// <summary>Tool definitions.</summary>
    [JsonPropertyName("tools")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ToolParam>? Tools { get; init; }

    /// <summary>How the model may use the tools.</summary>
    [JsonPropertyName("tool_choice")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ToolChoiceParam? ToolChoice { get; init; }

    /// <summary>Extended thinking.</summary>
    [JsonPropertyName("thinking")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ThinkingConfigParam? Thinking { get; init; }

    /// <summary>Effort and structured output.</summary>
    [JsonPropertyName("output_config")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OutputConfigParam? OutputConfig { get; init; }
}
