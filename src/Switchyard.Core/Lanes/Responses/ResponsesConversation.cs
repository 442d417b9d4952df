using Switchyard.OpenAI.Responses;

namespace Switchyard.Lanes.Responses;

/// <summary>
/// What the Responses front loads before a request is routed: the client key's scope, under which the response will
/// be stored, and the stored conversation that <c>previous_response_id</c> continues.
/// </summary>
/// <param name="KeyScope">The client key's id, or empty in open mode.</param>
/// <param name="History">The conversation of <c>previous_response_id</c>, oldest first (empty without one).</param>
public sealed record ResponsesConversation(string KeyScope, IReadOnlyList<ResponseItem> History)
{
    /// <summary>No history, the open-mode scope.</summary>
    public static ResponsesConversation None { get; } = new(string.Empty, []);
}
