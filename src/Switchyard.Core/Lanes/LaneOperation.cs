namespace Switchyard.Lanes;

/// <summary>What a client asks a lane to do.</summary>
public enum LaneOperation
{
    /// <summary>Generate a message or completion (<c>/v1/messages</c>, <c>/chat/completions</c>).</summary>
    Generate,

    /// <summary>Count the input tokens of a Messages request (<c>/v1/messages/count_tokens</c>).</summary>
    CountTokens,

    /// <summary>Fill-in-the-middle completion (<c>/beta/completions</c>).</summary>
    Complete,

    /// <summary>Create a response of the OpenAI Responses API (<c>/v1/responses</c>).</summary>
    Respond,
}
