namespace Switchyard.Lanes.ChatToChat;

/// <summary>A Chat Completions request prepared for an OpenAI-format target.</summary>
public sealed class ChatToChatPlan : LanePlan
{
    /// <summary>The request as read.</summary>
    public required ChatRequest Request { get; init; }

    /// <summary>The thinking decision.</summary>
    public required ChatThinkingPolicy Policy { get; init; }

    /// <summary>The <c>user_id</c> sent upstream.</summary>
    public string? UserId { get; init; }
}
