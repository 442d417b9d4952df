namespace Switchyard.Anthropic;

/// <summary>The role of a message in the conversation.</summary>
public enum MessageRole
{
    /// <summary>A user turn.</summary>
    User,
    /// <summary>An assistant turn.</summary>
    Assistant,
    /// <summary>A mid-conversation system instruction (Claude Code sends these).</summary>
    System,
}

/// <summary>One entry of <c>messages</c>; string content is normalised to one text block.</summary>
public sealed record InputMessage(MessageRole Role, IReadOnlyList<ContentBlock> Content);
