using Switchyard.OpenAI.Responses;
using Switchyard.Translation.ChatToMessages;

namespace Switchyard.Lanes.Responses;

/// <summary>A Responses request prepared for one target.</summary>
public sealed class ResponsesPlan : LanePlan
{
    /// <summary>The request as Chat Completions, with what the answer's translation needs.</summary>
    public required TranslatedResponsesRequest Translated { get; init; }

    /// <summary>Where the response is stored, and the history it continues.</summary>
    public required ResponsesConversation Conversation { get; init; }

    /// <summary>On an Anthropic-format target: the Chat request as the shared Chat → Messages translation made it.</summary>
    public TranslatedChatRequest? Messages { get; init; }
}
