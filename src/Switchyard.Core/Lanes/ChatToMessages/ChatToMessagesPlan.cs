using Switchyard.Translation.ChatToMessages;

namespace Switchyard.Lanes.ChatToMessages;

/// <summary>A Chat Completions request translated for an Anthropic-format target.</summary>
public sealed class ChatToMessagesPlan : LanePlan
{
    /// <summary>The translation.</summary>
    public required TranslatedChatRequest Translated { get; init; }
}
