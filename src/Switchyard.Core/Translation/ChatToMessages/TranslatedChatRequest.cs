namespace Switchyard.Translation.ChatToMessages;

/// <summary>
/// A Chat Completions request translated into an Anthropic Messages request, with the facts the response side needs.
/// </summary>
public sealed class TranslatedChatRequest
{
    /// <summary>The Anthropic Messages request body (UTF-8 JSON), ready to POST to <c>/v1/messages</c>.</summary>
    public required byte[] Body { get; init; }

    /// <summary>The <c>model</c> the client asked for.</summary>
    public required string ClientModel { get; init; }

    /// <summary>The upstream model id written into <see cref="Body"/>.</summary>
    public required string UpstreamModel { get; init; }

    /// <summary>True when the client asked for a stream (<c>stream:true</c>); the body then carries <c>stream:true</c>.</summary>
    public bool Stream { get; init; }

    /// <summary>True when the client asked for <c>stream_options.include_usage</c>.</summary>
    public bool IncludeUsage { get; init; }

    /// <summary>True when the upstream request has thinking enabled.</summary>
    public bool Thinking { get; init; }

    /// <summary>Why thinking the client asked for was turned off, if it was.</summary>
    public ThinkingFallback ThinkingFallback { get; init; }

    /// <summary>The <c>thinking.budget_tokens</c> sent, when thinking is on.</summary>
    public int? ThinkingBudget { get; init; }

    /// <summary>The <c>max_tokens</c> sent upstream.</summary>
    public int MaxTokens { get; init; }

    /// <summary>Top-level fields of the client's request that the lane's table ignores (not sent upstream).</summary>
    public IReadOnlyList<string> Dropped { get; init; } = [];
}
