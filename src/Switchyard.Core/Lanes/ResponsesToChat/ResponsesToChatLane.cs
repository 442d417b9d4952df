using System.Runtime.CompilerServices;
using Switchyard.Accounting;
using Switchyard.Compatibility;
using Switchyard.Lanes.MessagesToChat;
using Switchyard.Lanes.Responses;
using Switchyard.OpenAI;
using Switchyard.OpenAI.Responses;
using Switchyard.Providers;
using Switchyard.Resilience;
using Switchyard.Routing;
using Switchyard.Tokenization;
using Switchyard.Translation;
using Switchyard.Translation.StructuredOutput;

namespace Switchyard.Lanes.ResponsesToChat;

/// <summary>
/// Responses API clients (Codex CLI, the Agents SDKs) on an OpenAI-format Chat Completions upstream (DeepSeek): the
/// request, with the conversation it continues, is read against the <see cref="CompatibilityTables.ResponsesToChat"/>
/// table and translated into a Chat request; the answer and its stream are translated back into Responses items and
/// events by the <see cref="ResponsesRelay"/>.
/// </summary>
public sealed class ResponsesToChatLane : Lane
{
    private readonly ResponsesRequestTranslator _translator;
    private readonly ResponsesRelay _relay;
    private readonly ITokenCounter _tokens;
    private readonly UserIdPolicy _userIds;
    private readonly UpstreamExecutor _executor;

    /// <summary>
    /// Creates the lane; <paramref name="userIds"/> decides the upstream <c>user_id</c>, as on the other DeepSeek lanes,
    /// and <paramref name="executor"/> sends a structured-output repair.
    /// </summary>
    public ResponsesToChatLane(ResponsesRequestTranslator translator, ResponsesRelay relay, ITokenCounter tokens, UserIdPolicy userIds, UpstreamExecutor executor)
        : base("responses→chat", ClientFormat.OpenAI, ProviderKind.OpenAI, CompatibilityTables.ResponsesToChat, LaneOperation.Respond)
    {
        ArgumentNullException.ThrowIfNull(translator);
        ArgumentNullException.ThrowIfNull(relay);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentNullException.ThrowIfNull(executor);
        _translator = translator;
        _relay = relay;
        _tokens = tokens;
        _userIds = userIds;
        _executor = executor;
    }

    /// <summary>The request as this lane reads it (validated against its table), parsed once per request.</summary>
    public ResponsesRequest Read(LaneRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Parsed(this, static r => ResponsesRequestParser.Parse(r.Json, CompatibilityTables.ResponsesToChat));
    }

    /// <summary>The input tokens of <paramref name="request"/> as DeepSeek will count them (for long-context routes).</summary>
    public int CountInputTokens(LaneRequest request, ResolvedTarget target)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(target);
        return _tokens.CountPrompt(Translate(request, target).Chat);
    }

    /// <inheritdoc />
    public override LanePlan Prepare(LaneRequest request, ResolvedTarget target)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(target);
        var translated = Translate(request, target);
        var structured = translated.StructuredOutput;
        // A structured answer is read whole, to be checked against the schema before anything is sent.
        var stream = translated.Request.Stream && structured is null;
        return new ResponsesPlan
        {
            Target = target,
            Upstream = MessagesToChatLane.Serialize(translated.Chat, structured is { Beta: true }, stream),
            Translated = translated,
            Conversation = request.Conversation ?? ResponsesConversation.None,
            Thinking = translated.ThinkingFallback,
            RestoredReasoning = translated.RestoredReasoning,
            StructuredOutput = structured,
            CheckBody = stream ? null : MessagesToChatRelay.CheckCompletion,
        };
    }

    /// <inheritdoc />
    public override async Task RelayAsync(LaneCall call, LanePlan plan, UpstreamResponse? upstream)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(upstream);
        var prepared = (ResponsesPlan)plan;
        if (prepared.Upstream!.Stream)
        {
            await _relay.StreamAsync(call, prepared, ChunksAsync(upstream, call.Aborted));
            return;
        }

        var completion = await MessagesToChatRelay.ReadCompletionAsync(upstream, call.Aborted);
        if (prepared.StructuredOutput is { } structured)
        {
            completion = await CheckAsync(call, prepared, structured, completion);
        }

        if (prepared.Translated.Request.Stream)
        {
            await _relay.StreamAsync(call, prepared, new[] { ResponsesStreamTranslator.ChunkOf(completion) }.ToAsyncEnumerable());
            return;
        }

        await _relay.RespondAsync(call, prepared, completion);
    }

    /// <summary>
    /// The structured answer checked against the client's schema, repaired once through the executor when it does not
    /// match (the usage of both calls is the answer's); a second failure is an error, never an invalid object.
    /// </summary>
    private async Task<ChatCompletion> CheckAsync(LaneCall call, ResponsesPlan plan, StructuredOutputPlan structured, ChatCompletion first)
    {
        var answer = await StructuredOutputChecker.CheckAsync(structured, first, (invalid, problems, ct) =>
        {
            var chat = plan.Translated.Chat;
            var repair = MessagesToChatLane.Serialize(chat with { Messages = [.. chat.Messages, .. StructuredOutputChecker.RepairMessages(invalid, problems)] },
                structured.Beta, stream: false);
            return _executor.ExecuteAsync([plan.Target], async (attempt, ct2) =>
            {
                await using var repaired = await attempt.Endpoint.Client.SendAsync(repair, ct2);
                return await MessagesToChatRelay.ReadCompletionAsync(repaired, ct2);
            }, call.Outcome.Attempts, ct);
        }, call.Aborted);
        if (!answer.Valid)
        {
            call.Outcome.Usage = TokenUsage.FromChat(answer.Completion.Usage);
            throw StructuredOutputChecker.Failed(answer.Problems);
        }

        return answer.Completion;
    }


    private TranslatedResponsesRequest Translate(LaneRequest request, ResolvedTarget target)
    {
        var parsed = Read(request);
        var translated = _translator.Translate(parsed, (request.Conversation ?? ResponsesConversation.None).History, target.Model,
            strictAvailable: target.Provider.SupportsPrefixCompletion);
        return translated with { Chat = translated.Chat with { UserId = _userIds.For(request.Tenant, parsed.SafetyIdentifier ?? parsed.User) } };
    }

    private static async IAsyncEnumerable<ChatCompletionChunk> ChunksAsync(UpstreamResponse upstream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in upstream.ReadEventsAsync(MessagesToChatRelay.ChunkParser, cancellationToken))
        {
            if (item.Data is { } chunk)
            {
                yield return chunk;
            }
        }
    }
}
