using System.Net.ServerSentEvents;
using System.Text.Json;
using Switchyard.Compatibility;
using Switchyard.Errors;
using Switchyard.Lanes.Relay;
using Switchyard.Memory;
using Switchyard.Providers;
using Switchyard.Routing;
using Switchyard.Translation;
using Switchyard.Translation.ChatToMessages;

namespace Switchyard.Lanes.ChatToMessages;

/// <summary>
/// Chat Completions clients on an Anthropic-format upstream: the request is translated into a Messages request (read
/// against the <see cref="CompatibilityTables.ChatToMessages"/> table), the answer and its stream back into Chat
/// Completions, with thinking signatures kept in the reasoning memory for clients that keep only the text.
/// </summary>
public sealed class ChatToMessagesLane : Lane
{
    /// <summary>Reads a Messages stream's events as JSON documents (disposed by the reader).</summary>
    internal static readonly SseItemParser<JsonDocument?> EventParser = static (_, data) =>
    {
        var reader = new Utf8JsonReader(data);
        return JsonDocument.ParseValue(ref reader);
    };

    private readonly IReasoningMemory _memory;
    private readonly UserIdPolicy _userIds;
    private readonly ChatToMessagesRequestTranslator _requests;
    private readonly MessagesToChatResponseTranslator _responses;

    /// <summary>Creates the lane.</summary>
    public ChatToMessagesLane(IReasoningMemory memory, UserIdPolicy userIds, TimeProvider? time = null)
        : base("chat→messages", ClientFormat.OpenAI, ProviderKind.Anthropic, CompatibilityTables.ChatToMessages, LaneOperation.Generate)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(userIds);
        _memory = memory;
        _userIds = userIds;
        _requests = new ChatToMessagesRequestTranslator(memory);
        _responses = new MessagesToChatResponseTranslator(memory, time);
    }

    /// <inheritdoc />
    public override LanePlan Prepare(LaneRequest request, ResolvedTarget target)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(target);
        var translated = _requests.Translate(request.Json, target.Model.UpstreamModel, clientUserId => _userIds.For(request.Tenant, clientUserId));
        return new ChatToMessagesPlan
        {
            Target = target,
            Translated = translated,
            Upstream = new UpstreamRequest("/v1/messages", translated.Body, translated.Stream),
            Thinking = translated.ThinkingFallback,
        };
    }

    /// <inheritdoc />
    public override async Task RelayAsync(LaneCall call, LanePlan plan, UpstreamResponse? upstream)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(upstream);
        var translated = ((ChatToMessagesPlan)plan).Translated;
        call.Outcome.NoteDropped(Table, translated.Dropped);
        if (!translated.Stream)
        {
            var body = await upstream.ReadBodyAsync(call.Aborted);
            TranslatedCompletion completion;
            try
            {
                using var message = JsonDocument.Parse(body);
                completion = _responses.Translate(message.RootElement);
            }
            catch (JsonException exception)
            {
                throw UpstreamErrors.Broken(upstream.Options.Name, "returned malformed JSON", exception);
            }

            call.Outcome.Usage = completion.Usage;
            call.Outcome.StopReason = completion.FinishReason;
            await call.FinishAsync();
            await ClientJson.WriteAsync(call.Response, 200, completion.Body, call.Aborted);
            return;
        }

        await StreamAsync(call, translated, upstream);
    }

    private async Task StreamAsync(LaneCall call, TranslatedChatRequest translated, UpstreamResponse upstream)
    {
        var translator = new MessagesToChatStreamTranslator(_memory, translated.IncludeUsage);
        var chunks = new List<byte[]>(4);
        var frames = new List<JsonFrame>(4);
        await using var client = new ClientEventStream(call.Response, SseFrames.KeepAliveComment, call.PingInterval, call.Recorder.MarkFirstToken);
        await client.OpenAsync(call.Aborted);
        var recorded = false;
        try
        {
            await foreach (var item in upstream.ReadEventsAsync(EventParser, call.Aborted))
            {
                using (var data = item.Data)
                {
                    if (data is null)
                    {
                        continue;
                    }

                    translator.Process(item.EventType, data.RootElement, chunks);
                }

                frames.Clear();
                foreach (var chunk in chunks)
                {
                    frames.Add(new JsonFrame(chunk, translator.HasContent));
                }

                chunks.Clear();
                if (translator.Finished && !recorded)
                {
                    // The final chunk is in this batch: the record is written before the client has it.
                    recorded = true;
                    call.Outcome.Usage = translator.Usage;
                    call.Outcome.StopReason = translator.FinishReason;
                    await call.FinishAsync();
                }

                await client.WriteAsync(frames, JsonFrameFormat.Instance, call.Aborted);
                if (translator.IsComplete)
                {
                    break;
                }
            }

            translator.Complete();
            await client.WriteRawAsync(SseFrames.Done, call.Aborted);
        }
        catch (GatewayException error) when (!call.Aborted.IsCancellationRequested)
        {
            call.Outcome.Usage = translator.Usage;
            await call.FinishAsync(200, error);
            frames.Clear();
            frames.Add(new JsonFrame(ErrorBodies.OpenAIBytes(error), false));
            await client.WriteAsync(frames, JsonFrameFormat.Instance, CancellationToken.None);
        }
    }
}
