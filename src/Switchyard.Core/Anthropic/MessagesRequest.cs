namespace Switchyard.Anthropic;

/// <summary>
/// A validated Messages API request (<c>POST /v1/messages</c> or <c>count_tokens</c>), reduced to what
/// Switchyard honours. Fields that the compatibility policy ignores are not represented.
/// </summary>
public sealed record MessagesRequest
{
    /// <summary>The model name exactly as the client sent it.</summary>
    public required string Model { get; init; }

    /// <summary><c>max_tokens</c>; null only for count_tokens requests.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>The conversation, in order, with <c>role:"system"</c> entries kept at their position.</summary>
    public required IReadOnlyList<InputMessage> Messages { get; init; }

    /// <summary>The top-level system prompt as text blocks (empty when absent).</summary>
    public IReadOnlyList<string> System { get; init; } = [];

    /// <summary><c>stop_sequences</c> (empty when absent).</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary><c>temperature</c>, 0–2.</summary>
    public double? Temperature { get; init; }

    /// <summary><c>top_p</c>, 0–1.</summary>
    public double? TopP { get; init; }

    /// <summary><c>metadata.user_id</c> as sent (sanitised later, for the upstream).</summary>
    public string? UserId { get; init; }

    /// <summary>The JSON schema the answer must match (<c>output_config.format</c>, or the beta <c>output_format</c>), if any.</summary>
    public Translation.StructuredOutput.OutputSchema? OutputSchema { get; init; }

    /// <summary>Tool definitions (empty when absent).</summary>
    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    /// <summary><c>tool_choice</c>, or null when absent.</summary>
    public ToolChoice? ToolChoice { get; init; }

    /// <summary>The thinking configuration; null when the client sent none.</summary>
    public ThinkingConfig? Thinking { get; init; }

    /// <summary><c>output_config.effort</c> as sent.</summary>
    public string? Effort { get; init; }

    /// <summary><c>stream</c>.</summary>
    public bool Stream { get; init; }
}
