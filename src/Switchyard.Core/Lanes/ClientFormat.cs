namespace Switchyard.Lanes;

/// <summary>The wire format a caller speaks, which decides the shape of every answer, errors included.</summary>
public enum ClientFormat
{
    /// <summary>Messages API (Anthropic SDKs, Claude Code).</summary>
    Anthropic,

    /// <summary>Chat Completions (OpenAI SDKs and DeepSeek-flavoured clients).</summary>
    OpenAI,
}
