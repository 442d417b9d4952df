using System.Text.Json;

namespace Switchyard.Lanes.ChatToChat;

/// <summary>A Chat Completions request as the relay lane read it: the body (validated) and the facts its stages need.</summary>
public sealed class ChatRequest
{
    /// <summary>The validated body.</summary>
    public required JsonElement Body { get; init; }

    /// <summary>The requested model.</summary>
    public required string Model { get; init; }

    /// <summary>Whether the client asked for a stream.</summary>
    public bool Stream { get; init; }

    /// <summary>Whether the client asked for OpenAI's usage-only chunk.</summary>
    public bool IncludeUsage { get; init; }

    /// <summary>The client's explicit <c>thinking.type</c> (enabled, adaptive, disabled), if any.</summary>
    public string? ThinkingType { get; init; }

    /// <summary>The client's <c>reasoning_effort</c>, if any.</summary>
    public string? ReasoningEffort { get; init; }

    /// <summary>Whether <c>tool_choice</c> forces a tool (<c>required</c> or a named function).</summary>
    public bool ForcedToolChoice { get; init; }

    /// <summary>Whether the last message is an assistant prefix (<c>prefix:true</c>, DeepSeek's beta).</summary>
    public bool Prefix { get; init; }

    /// <summary>The JSON schema the client asked the answer to match (<c>response_format:{type:"json_schema"}</c>), if any.</summary>
    public Translation.StructuredOutput.OutputSchema? OutputSchema { get; init; }

    /// <summary>Whether the client declared tools.</summary>
    public bool HasTools { get; init; }

    /// <summary>The client's own user id (<c>user_id</c>, else <c>user</c>), if any.</summary>
    public string? ClientUserId { get; init; }

    /// <summary>Top-level fields dropped because the table ignores them.</summary>
    public IReadOnlyList<string> Dropped { get; init; } = [];
}
