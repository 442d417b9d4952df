using System.Text.Json;
using Switchyard.Anthropic;
using Switchyard.Compatibility;
using Switchyard.Errors;
using Switchyard.Tokenization;
using Switchyard.Lanes.Relay;
using Switchyard.Memory;
using Switchyard.OpenAI;
using Switchyard.Providers;
using Switchyard.Resilience;
using Switchyard.Routing;
using Switchyard.Translation;
using Switchyard.Translation.StructuredOutput;

namespace Switchyard.Lanes.MessagesToChat;

/// <summary>
/// Anthropic clients on an OpenAI-format upstream (DeepSeek): the request is read against the
/// <see cref="CompatibilityTables.MessagesToChat"/> table and translated, the answer translated back, streams chunk
/// by chunk (continued on another stream when the upstream breaks off). count_tokens is answered locally with
/// DeepSeek's tokenizer.
/// </summary>
public sealed class MessagesToChatLane : Lane
{
    private readonly RequestTranslator _requests;
    private readonly MessagesToChatRelay _relay;
    private readonly ITokenCounter _tokens;
    private readonly UserIdPolicy _userIds;

    /// <summary>Creates the lane.</summary>
    public MessagesToChatLane(RequestTranslator requests, ResponseTranslator responses, ITokenCounter tokens, UpstreamExecutor executor, IReasoningMemory memory, UserIdPolicy userIds)
        : base("messages→chat", ClientFormat.Anthropic, ProviderKind.OpenAI, CompatibilityTables.MessagesToChat, LaneOperation.Generate, LaneOperation.CountTokens)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(responses);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(userIds);
        _userIds = userIds;
        _requests = requests;
        _tokens = tokens;
        _relay = new MessagesToChatRelay(responses, tokens, executor, memory);
    }

    /// <summary>The request as this lane reads it (validated against its table), parsed once per request.</summary>
    public MessagesRequest Read(LaneRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Parsed(this, static r => MessagesRequestParser.Parse(r.Json, r.Operation == LaneOperation.CountTokens));
    }

    /// <summary>The input tokens of <paramref name="request"/> as DeepSeek will count them (for count_tokens and long-context routes).</summary>
    public int CountInputTokens(MessagesRequest request, ResolvedTarget target)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(target);
        return _tokens.CountPrompt(_requests.Translate(request, target.Model).Chat);
    }

    /// <inheritdoc />
    public override LanePlan Prepare(LaneRequest request, ResolvedTarget target)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(target);
        var parsed = Read(request);
        var structured = parsed.OutputSchema is { } schema && request.Operation == LaneOperation.Generate
            ? StructuredOutputPlanner.Plan(schema, parsed.Tools.Count > 0, target.Provider.SupportsPrefixCompletion)
            : null;
        var translated = _requests.Translate(parsed, target.Model, structured);
        translated = translated with { Chat = translated.Chat with { UserId = _userIds.For(request.Tenant, parsed.UserId) } };
        if (translated.Prefill && !target.Provider.SupportsPrefixCompletion)
        {
            throw GatewayException.Invalid(
                $"messages: the last message is an assistant prefill, which upstream '{target.Provider.Name}' cannot continue (no chat prefix completion)",
                "messages");
        }

        UpstreamRequest? upstream = null;
        if (request.Operation == LaneOperation.Generate)
        {
            // Stop sequences are matched by Switchyard on the upstream's stream, also for a JSON answer; a structured
            // answer is read whole, to be checked before anything is sent.
            var stream = structured is null && (parsed.Stream || translated.StopSequences.Count > 0);
            upstream = Serialize(translated.Chat, translated.Prefill || structured is { Beta: true }, stream);
        }

        return new MessagesToChatPlan
        {
            Target = target,
            Upstream = upstream,
            Request = parsed,
            Translated = translated,
            Thinking = translated.ThinkingDisabledForToolChoice ? ThinkingFallback.ForcedToolChoice
                : translated.ThinkingDisabledForStructuredOutput ? ThinkingFallback.StructuredOutput
                : ThinkingFallback.None,
            StructuredOutput = structured,
            RestoredReasoning = translated.RestoredReasoning,
            CheckBody = upstream is { Stream: false } ? MessagesToChatRelay.CheckCompletion : null,
        };
    }

    /// <inheritdoc />
    public override Task RelayAsync(LaneCall call, LanePlan plan, UpstreamResponse? upstream)
    {
        ArgumentNullException.ThrowIfNull(call);
        var prepared = (MessagesToChatPlan)plan;
        return upstream is null ? CountAsync(call, prepared) : _relay.RelayAsync(call, prepared, upstream);
    }

    /// <summary>The request body for a Chat Completions upstream (<c>/beta</c> for prefix completion).</summary>
    public static UpstreamRequest Serialize(ChatCompletionRequest chat, bool beta, bool stream)
    {
        ArgumentNullException.ThrowIfNull(chat);
        var body = JsonSerializer.SerializeToUtf8Bytes(
            chat with { Stream = stream ? true : null, StreamOptions = stream ? new ChatStreamOptions(true) : null },
            OpenAIJsonContext.Default.ChatCompletionRequest);
        return new UpstreamRequest(beta ? "/beta/chat/completions" : "/chat/completions", body, stream);
    }

    private async Task CountAsync(LaneCall call, MessagesToChatPlan plan)
    {
        var count = new TokenCountResponse(_tokens.CountPrompt(plan.Translated.Chat));
        await call.FinishAsync();
        await ClientJson.WriteAsync(call.Response, 200, count, AnthropicJsonContext.Default.TokenCountResponse, call.Aborted);
    }
}
