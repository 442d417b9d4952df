using Switchyard.Errors;
using Switchyard.Lanes.Relay;
using Switchyard.Memory;
using Switchyard.OpenAI;
using Switchyard.OpenAI.Responses;
using Switchyard.Translation;

namespace Switchyard.Lanes.Responses;

/// <summary>
/// The relay both Responses lanes share: Chat Completions chunks (from the upstream, or translated from an
/// Anthropic-format stream) go through the <see cref="ResponsesStreamTranslator"/> into the shared
/// <see cref="ClientEventStream"/>, or, for a JSON answer, the completion goes through the same machine as one chunk.
/// Before the last event (or the JSON) goes out, the turn's reasoning is remembered, the response stored (unless
/// <c>store:false</c>) and the outcome recorded, so that a follow-up turn, on any replica, finds all three.
/// </summary>
public sealed class ResponsesRelay
{
    private readonly ReasoningSeal _seal;
    private readonly ResponseStore _store;
    private readonly IReasoningMemory? _memory;

    /// <summary>Creates the relay.</summary>
    /// <param name="seal">Seals reasoning for clients that ask for <c>reasoning.encrypted_content</c>.</param>
    /// <param name="store">Where responses are stored.</param>
    /// <param name="memory">Remembers the reasoning of tool-call turns (null when the lane's translation already does).</param>
    public ResponsesRelay(ReasoningSeal seal, ResponseStore store, IReasoningMemory? memory)
    {
        ArgumentNullException.ThrowIfNull(seal);
        ArgumentNullException.ThrowIfNull(store);
        _seal = seal;
        _store = store;
        _memory = memory;
    }

    /// <summary>Answers a non-streaming request with the response JSON.</summary>
    /// <exception cref="GatewayException">The upstream ended without finishing, or interrupted the generation.</exception>
    public async Task RespondAsync(LaneCall call, ResponsesPlan plan, ChatCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(completion);
        var machine = NewMachine(plan);
        var events = new List<ResponseStreamEvent>();
        machine.Process(ResponsesStreamTranslator.ChunkOf(completion), events);
        machine.Complete(events);
        await FinishAsync(call, plan, machine, error: null);
        await ClientJson.WriteAsync(call.Response, 200, machine.Final!, ResponsesJsonContext.Default.ResponseObject, call.Aborted);
    }

    /// <summary>
    /// Translates an accepted stream of <paramref name="chunks"/> to the client. A failure after the stream started
    /// becomes <c>error</c> + <c>response.failed</c>, never a clean end.
    /// </summary>
    public async Task StreamAsync(LaneCall call, ResponsesPlan plan, IAsyncEnumerable<ChatCompletionChunk> chunks)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(chunks);
        var machine = NewMachine(plan);
        var events = new List<ResponseStreamEvent>(8);
        await using var client = new ClientEventStream(call.Response, SseFrames.KeepAliveComment, call.PingInterval, call.Recorder.MarkFirstToken);
        await client.OpenAsync(call.Aborted);
        var cancellationToken = call.Aborted;
        try
        {
            machine.Start(events);
            await FlushAsync(client, events, cancellationToken);
            await foreach (var chunk in chunks.WithCancellation(cancellationToken))
            {
                machine.Process(chunk, events);
                await FlushAsync(client, events, cancellationToken);
            }

            machine.Complete(events);
            await FinishAsync(call, plan, machine, error: null);
        }
        catch (GatewayException error) when (!cancellationToken.IsCancellationRequested)
        {
            machine.Fail(error, events);
            await FinishAsync(call, plan, machine, error);
            cancellationToken = CancellationToken.None;
        }

        await FlushAsync(client, events, cancellationToken);
    }

    private ResponsesStreamTranslator NewMachine(ResponsesPlan plan) =>
        new(plan.Translated, _seal, ResponsesIds.NewResponseId(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private async ValueTask FinishAsync(LaneCall call, ResponsesPlan plan, ResponsesStreamTranslator machine, GatewayException? error)
    {
        if (_memory is not null && machine.ToolCallIds.Count > 0 && machine.Reasoning is { Length: > 0 } reasoning)
        {
            _memory.Remember(ReasoningKeys.ForToolCalls(machine.ToolCallIds), new ReasoningEntry(reasoning));
        }

        var request = plan.Translated.Request;
        if (request.Store && machine.Final is { } final)
        {
            // Stored whatever the client does next: a follow-up may name it as soon as it has the id.
            await _store.SaveAsync(plan.Conversation.KeyScope, final, request.Input, CancellationToken.None);
        }

        call.Outcome.Usage = machine.Usage;
        call.Outcome.StopReason = machine.Final?.IncompleteDetails?.Reason ?? machine.Final?.Status;
        await call.FinishAsync(200, error);
    }

    private static async ValueTask FlushAsync(ClientEventStream client, List<ResponseStreamEvent> events, CancellationToken cancellationToken)
    {
        await client.WriteAsync(events, ResponsesEventFormat.Instance, cancellationToken);
        events.Clear();
    }
}
