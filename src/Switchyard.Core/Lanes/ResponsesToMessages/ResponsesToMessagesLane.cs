using System.Runtime.CompilerServices;
using System.Text.Json;
using Switchyard.Compatibility;
using Switchyard.Errors;
using Switchyard.Lanes.ChatToMessages;
using Switchyard.Lanes.Responses;
using Switchyard.Memory;
using Switchyard.OpenAI;
using Switchyard.OpenAI.Responses;
using Switchyard.Providers;
using Switchyard.Routing;
using Switchyard.Translation;
using Switchyard.Translation.ChatToMessages;

namespace Switchyard.Lanes.ResponsesToMessages;

/// <summary>
/// Responses API clients on an Anthropic-format upstream, through the Chat → Messages translation every OpenAI-format
/// client shares: the request becomes the internal Chat request (as on the Responses → Chat lane) and then a Messages
/// request; the answer comes back as Chat chunks (or a Chat completion) into the same Responses state machine. There is
/// no second translator between Responses and Messages.
/// </summary>
public sealed class ResponsesToMessagesLane : Lane
{
    private readonly ResponsesRequestTranslator _translator;
    private readonly ResponsesRelay _relay;
    private readonly IReasoningMemory _memory;
    private readonly ChatToMessagesRequestTranslator _requests;
    private readonly MessagesToChatResponseTranslator _responses;
    private readonly UserIdPolicy _userIds;

    /// <summary>
    /// Creates the lane; <paramref name="memory"/> keeps the thinking signatures the Chat → Messages translation replays,
    /// <paramref name="userIds"/> decides the upstream <c>metadata.user_id</c>, as on the Chat → Messages lane.
    /// </summary>
    public ResponsesToMessagesLane(ResponsesRequestTranslator translator, ResponsesRelay relay, IReasoningMemory memory, UserIdPolicy userIds)
        : base("responses→messages", ClientFormat.OpenAI, ProviderKind.Anthropic, CompatibilityTables.ResponsesToMessages, LaneOperation.Respond)
    {
        ArgumentNullException.ThrowIfNull(translator);
        ArgumentNullException.ThrowIfNull(relay);
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(userIds);
        _translator = translator;
        _relay = relay;
        _memory = memory;
        _userIds = userIds;
        _requests = new ChatToMessagesRequestTranslator(memory);
        _responses = new MessagesToChatResponseTranslator(memory);
    }

    /// <inheritdoc />
    public override LanePlan Prepare(LaneRequest request, ResolvedTarget target)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(target);
        var parsed = request.Parsed(this, static r => ResponsesRequestParser.Parse(r.Json, CompatibilityTables.ResponsesToMessages));
        var conversation = request.Conversation ?? ResponsesConversation.None;
        var translated = _translator.TranslateForMessages(parsed, conversation.History, target.Model);
        var chat = translated.Chat with
        {
            Stream = parsed.Stream ? true : null,
            StreamOptions = parsed.Stream ? new ChatStreamOptions(true) : null,
        };
        var messages = _requests.Translate(JsonSerializer.SerializeToElement(chat, OpenAIJsonContext.Default.ChatCompletionRequest), target.Model.UpstreamModel,
            clientUserId => _userIds.For(request.Tenant, clientUserId));
        return new ResponsesPlan
        {
            Target = target,
            Upstream = new UpstreamRequest("/v1/messages", messages.Body, messages.Stream),
            Translated = translated with { Thinking = messages.Thinking },
            Conversation = conversation,
            Messages = messages,
            Thinking = messages.ThinkingFallback,
        };
    }

    /// <inheritdoc />
    public override async Task RelayAsync(LaneCall call, LanePlan plan, UpstreamResponse? upstream)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(upstream);
        var prepared = (ResponsesPlan)plan;
        if (!prepared.Upstream!.Stream)
        {
            var body = await upstream.ReadBodyAsync(call.Aborted);
            ChatCompletion completion;
            try
            {
                using var message = JsonDocument.Parse(body);
                completion = JsonSerializer.Deserialize(_responses.Translate(message.RootElement).Body, OpenAIJsonContext.Default.ChatCompletion)!;
            }
            catch (JsonException exception)
            {
                throw UpstreamErrors.Broken(upstream.Options.Name, "returned malformed JSON", exception);
            }

            await _relay.RespondAsync(call, prepared, completion);
            return;
        }

        await _relay.StreamAsync(call, prepared, ChunksAsync(upstream, prepared.Messages!, call.Aborted));
    }

    /// <summary>The Anthropic stream as the Chat chunks the Chat → Messages lane would send its clients.</summary>
    private async IAsyncEnumerable<ChatCompletionChunk> ChunksAsync(
        UpstreamResponse upstream, TranslatedChatRequest translated, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var translator = new MessagesToChatStreamTranslator(_memory, translated.IncludeUsage);
        var chunks = new List<byte[]>(4);
        await foreach (var item in upstream.ReadEventsAsync(ChatToMessagesLane.EventParser, cancellationToken))
        {
            using (var data = item.Data)
            {
                if (data is not null)
                {
                    translator.Process(item.EventType, data.RootElement, chunks);
                }
            }

            foreach (var chunk in chunks)
            {
                yield return JsonSerializer.Deserialize(chunk, OpenAIJsonContext.Default.ChatCompletionChunk)!;
            }

            chunks.Clear();
            if (translator.IsComplete)
            {
                yield break;
            }
        }

        translator.Complete();
    }
}
