using System.Text.Json;
using Switchyard.Compatibility;
using Switchyard.Errors;
using Switchyard.Memory;

namespace Switchyard.Translation.ChatToMessages;

/// <summary>
/// Translates an OpenAI Chat Completions request (in DeepSeek's flavour) into an Anthropic Messages request, in three
/// stages: <see cref="ChatToMessagesReader"/> reads and validates it against <see cref="CompatibilityTables.ChatToMessages"/>
/// (which says field by field what is honoured, translated, ignored or rejected, and how), <see cref="ChatToMessagesPolicy"/>
/// decides thinking, budgets and sampling, and <see cref="ChatToMessagesWriter"/> writes the body. Pure: no I/O besides the
/// <see cref="IReasoningMemory"/> lookups that restore signed thinking blocks.
/// </summary>
public sealed class ChatToMessagesRequestTranslator
{
    private readonly ChatToMessagesOptions _options;
    private readonly ChatToMessagesReader _reader;
    private readonly ChatToMessagesWriter _writer;

    /// <summary>Creates a translator.</summary>
    /// <param name="memory">Where signatures of thinking blocks served earlier are found.</param>
    /// <param name="options">Defaults; <see langword="null"/> for the built-in ones.</param>
    public ChatToMessagesRequestTranslator(IReasoningMemory memory, ChatToMessagesOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(memory);
        _options = options ?? new ChatToMessagesOptions();
        if (_options.DefaultMaxTokens < 1)
        {
            throw new ArgumentException("DefaultMaxTokens must be at least 1.", nameof(options));
        }

        _reader = new ChatToMessagesReader(memory, _options);
        _writer = new ChatToMessagesWriter(_options);
    }

    /// <summary>
    /// Translates <paramref name="request"/> for <paramref name="upstreamModel"/>; <paramref name="userId"/>, when given,
    /// maps the client's own user id to the one sent as <c>metadata.user_id</c> (the gateway's user-id policy).
    /// </summary>
    /// <exception cref="GatewayException">400 <c>invalid_request_error</c> for a request that is malformed or cannot be served.</exception>
    public TranslatedChatRequest Translate(JsonElement request, string upstreamModel, Func<string?, string?>? userId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(upstreamModel);
        var read = _reader.Read(request);
        if (userId is not null)
        {
            read = read with { UserId = userId(read.UserId) };
        }

        var policy = ChatToMessagesPolicy.Decide(read, _options);
        return new TranslatedChatRequest
        {
            Body = _writer.Write(read, policy, upstreamModel),
            ClientModel = read.Model,
            UpstreamModel = upstreamModel,
            Stream = read.Stream,
            IncludeUsage = read.IncludeUsage,
            Thinking = policy.Thinking,
            ThinkingFallback = policy.Fallback,
            ThinkingBudget = policy.Budget,
            MaxTokens = policy.MaxTokens,
            Dropped = read.Dropped,
        };
    }
}
