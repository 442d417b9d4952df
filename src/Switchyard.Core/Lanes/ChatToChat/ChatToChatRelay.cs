using Switchyard.Errors;
using Switchyard.Lanes.Relay;
using Switchyard.Memory;
using Switchyard.Providers;

namespace Switchyard.Lanes.ChatToChat;

/// <summary>
/// Relays a Chat Completions stream chunk by chunk as the upstream wrote it, on the shared <see cref="ClientEventStream"/>
/// (headers sent at once, keep-alive comments while the upstream is silent), and adds OpenAI's usage-only chunk when
/// the client asked for it and the upstream (DeepSeek) sends none.
/// </summary>
internal static class ChatToChatRelay
{
    public static async Task StreamAsync(LaneCall call, ChatToChatPlan plan, UpstreamResponse upstream, IReasoningMemory memory)
    {
        var observer = new ChatStreamObserver();
        var frames = new JsonFrame[1];
        await using var client = new ClientEventStream(call.Response, SseFrames.KeepAliveComment, call.PingInterval, call.Recorder.MarkFirstToken);
        await client.OpenAsync(call.Aborted);
        try
        {
            var done = false;
            await using var items = upstream.ReadEventsAsync(new EventDataBuffer().Parser, call.Aborted).GetAsyncEnumerator(call.Aborted);
            while (await client.NextAsync(items, call.Aborted))
            {
                var item = items.Current;
                if (item.Data.Span.SequenceEqual("[DONE]"u8))
                {
                    done = true;
                    break;
                }

                bool content;
                try
                {
                    content = observer.Observe(item.Data.Span);
                }
                catch (System.Text.Json.JsonException exception)
                {
                    throw UpstreamErrors.Broken(upstream.Options.Name, "sent a malformed stream chunk", exception);
                }

                frames[0] = new JsonFrame(item.Data, content);
                await client.WriteAsync(frames, JsonFrameFormat.Instance, flush: false, call.Aborted);
            }

            if (!done)
            {
                throw UpstreamErrors.Broken(upstream.Options.Name, "ended the stream without [DONE]");
            }

            if (plan.Request.IncludeUsage && observer.UsageOnlyChunk() is { } usageChunk)
            {
                frames[0] = new JsonFrame(usageChunk, false);
                await client.WriteAsync(frames, JsonFrameFormat.Instance, call.Aborted);
            }

            observer.RememberReasoning(memory);
            call.Outcome.Usage = observer.Usage;
            call.Outcome.StopReason = observer.FinishReason;
            await call.FinishAsync();
            await client.WriteRawAsync(SseFrames.Done, call.Aborted);
        }
        catch (GatewayException error) when (!call.Aborted.IsCancellationRequested)
        {
            call.Outcome.Usage = observer.Usage;
            await call.FinishAsync(200, error);
            frames[0] = new JsonFrame(ErrorBodies.OpenAIBytes(error), false);
            await client.WriteAsync(frames, JsonFrameFormat.Instance, CancellationToken.None);
        }
    }
}
