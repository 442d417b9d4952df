namespace Switchyard.OpenAI.Responses;

/// <summary>The response object's fields that repeat the request, as OpenAI returns them (status in_progress, no output).</summary>
public static class ResponseEcho
{
    /// <summary>The in-progress response for <paramref name="translated"/>.</summary>
    public static ResponseObject Of(TranslatedResponsesRequest translated, string responseId, long createdAt)
    {
        ArgumentNullException.ThrowIfNull(translated);
        ArgumentNullException.ThrowIfNull(responseId);
        var request = translated.Request;
        var response = new ResponseObject
        {
            Id = responseId,
            CreatedAt = createdAt,
            Status = "in_progress",
            Model = translated.Model.Model.Id,
            Instructions = request.Instructions,
            MaxOutputTokens = request.MaxOutputTokens,
            ParallelToolCalls = request.ParallelToolCalls,
            PreviousResponseId = request.PreviousResponseId,
            Reasoning = new ResponseReasoning { Effort = request.ReasoningEffort, Summary = request.ReasoningSummary },
            Store = request.Store,
            Temperature = request.Temperature,
            TopP = request.TopP,
            User = request.User,
            SafetyIdentifier = request.SafetyIdentifier,
            Metadata = request.Metadata,
        };
        response = request.RawText is { } text ? response with { Text = text } : response;
        response = request.RawToolChoice is { } choice ? response with { ToolChoice = choice } : response;
        return request.RawTools is { } tools ? response with { Tools = tools } : response;
    }
}
