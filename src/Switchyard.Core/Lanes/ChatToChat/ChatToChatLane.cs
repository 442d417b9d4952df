using System.Text.Json;
using Switchyard.Compatibility;
using Switchyard.Errors;
using Switchyard.Lanes.Relay;
using Switchyard.Memory;
using Switchyard.Providers;
using Switchyard.Routing;
using Switchyard.Resilience;
using Switchyard.Translation;
using Switchyard.Translation.StructuredOutput;

namespace Switchyard.Lanes.ChatToChat;

/// <summary>
/// Chat Completions clients on an OpenAI-format upstream (DeepSeek's flavour): the request is read against the
/// <see cref="CompatibilityTables.ChatToChat"/> table and rewritten only where the table says; the answer is relayed
/// as the upstream wrote it (OpenAI's usage-only chunk added when asked for), while the reasoning of tool-call turns
/// is remembered for clients that drop it.
/// </summary>
public sealed class ChatToChatLane : Lane
{
    private readonly IReasoningMemory _memory;
    private readonly UserIdPolicy _userIds;
    private readonly StructuredChatRelay _structured;

    /// <summary>Creates the lane.</summary>
    public ChatToChatLane(IReasoningMemory memory, UserIdPolicy userIds, UpstreamExecutor executor)
        : base("chat→chat", ClientFormat.OpenAI, ProviderKind.OpenAI, CompatibilityTables.ChatToChat, LaneOperation.Generate)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentNullException.ThrowIfNull(executor);
        _memory = memory;
        _userIds = userIds;
        _structured = new StructuredChatRelay(executor, memory);
    }

    /// <inheritdoc />
    public override LanePlan Prepare(LaneRequest request, ResolvedTarget target)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(target);
        var read = request.Parsed(this, r => ChatRequestReader.Read(r.Json, target.Model.Model.MaxOutputTokens));
        var structured = read.OutputSchema is { } schema
            ? StructuredOutputPlanner.Plan(schema, read.HasTools, target.Provider.SupportsPrefixCompletion)
            : null;
        var policy = ChatThinkingPolicy.Decide(read, target.Model, structured);
        var userId = _userIds.For(request.Tenant, read.ClientUserId);
        var (body, restored) = ChatBodyWriter.Write(read, target.Model.UpstreamModel, policy, _memory, userId, structured);
        var beta = request.BetaPath || read.Prefix || structured is { Beta: true };
        return new ChatToChatPlan
        {
            Target = target,
            Request = read,
            Policy = policy,
            UserId = userId,
            StructuredOutput = structured,
            Upstream = new UpstreamRequest(beta ? "/beta/chat/completions" : "/chat/completions", body, read.Stream && structured is null),
            Thinking = policy.Fallback,
            RestoredReasoning = restored,
            ExplainFailure = policy.Explicit && read.ForcedToolChoice ? ExplainForcedToolChoice : null,
        };
    }

    /// <inheritdoc />
    public override async Task RelayAsync(LaneCall call, LanePlan plan, UpstreamResponse? upstream)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(upstream);
        var prepared = (ChatToChatPlan)plan;
        call.Outcome.NoteDropped(Table, prepared.Request.Dropped);

        if (prepared.StructuredOutput is not null)
        {
            await _structured.RelayAsync(call, prepared, upstream);
            return;
        }

        if (!prepared.Request.Stream)
        {
            var body = await upstream.ReadBodyAsync(call.Aborted);
            Observe(call, body.Span);
            await call.FinishAsync();
            await ClientJson.WriteAsync(call.Response, 200, body, call.Aborted);
            return;
        }

        await ChatToChatRelay.StreamAsync(call, prepared, upstream, _memory);
    }

    /// <summary>A JSON completion: the usage and finish reason for the outcome, the reasoning of a tool-call turn for the memory.</summary>
    private void Observe(LaneCall call, ReadOnlySpan<byte> body)
    {
        var observer = new ChatStreamObserver();
        try
        {
            observer.Observe(body);
        }
        catch (JsonException)
        {
            // Relayed as the upstream wrote it; the outcome just has no usage.
            return;
        }

        call.Outcome.Usage = observer.Usage;
        call.Outcome.StopReason = observer.FinishReason;
        observer.RememberReasoning(_memory);
    }

    private static GatewayException? ExplainForcedToolChoice(GatewayException error) =>
        error.Kind == GatewayErrorKind.InvalidRequest && error.Message.Contains("tool_choice", StringComparison.OrdinalIgnoreCase)
            ? new GatewayException(GatewayErrorKind.InvalidRequest,
                error.Message + " (This request asks for thinking and forces a tool call; DeepSeek rejects forced tool_choice in thinking mode. " +
                "Send thinking:{\"type\":\"disabled\"} for this request, or leave thinking out and Switchyard turns it off for forced tool calls.)",
                "tool_choice") { Failure = error.Failure }
            : null;
}
