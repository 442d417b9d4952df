using Switchyard.Anthropic;
using Switchyard.Translation;

namespace Switchyard.Lanes.MessagesToChat;

/// <summary>A Messages request prepared for an OpenAI-format target.</summary>
public sealed class MessagesToChatPlan : LanePlan
{
    /// <summary>The request as the Messages reader understood it.</summary>
    public required MessagesRequest Request { get; init; }

    /// <summary>The translation for the target.</summary>
    public required TranslatedRequest Translated { get; init; }
}
