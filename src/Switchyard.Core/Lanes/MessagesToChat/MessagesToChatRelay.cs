using System.Net.ServerSentEvents;
using System.Text.Json;
using Switchyard.Accounting;
using Switchyard.Anthropic;
using Switchyard.Errors;
using Switchyard.Tokenization;
using Switchyard.Lanes.Relay;
using Switchyard.Memory;
using Switchyard.OpenAI;
using Switchyard.Providers;
using Switchyard.Resilience;
using Switchyard.Translation;
using Switchyard.Translation.StructuredOutput;

namespace Switchyard.Lanes.MessagesToChat;

/// <summary>
/// The relay of the Messages → Chat lane: a JSON completion becomes a Message; a stream is translated chunk by chunk
/// by the <see cref="StreamTranslator"/> into the shared <see cref="ClientEventStream"/>, and, when the upstream breaks
/// off, continued on another stream (<see cref="StreamContinuation"/>) so the client reads one message.
/// </summary>
internal sealed class MessagesToChatRelay(ResponseTranslator responses, ITokenCounter tokens, UpstreamExecutor executor, IReasoningMemory memory)
{
    /// <summary>Reads a Chat Completions stream's chunks (null for <c>[DONE]</c>).</summary>
    internal static readonly SseItemParser<ChatCompletionChunk?> ChunkParser = static (_, data) =>
        data.SequenceEqual("[DONE]"u8) ? null : JsonSerializer.Deserialize(data, OpenAIJsonContext.Default.ChatCompletionChunk);

    public async Task RelayAsync(LaneCall call, MessagesToChatPlan plan, UpstreamResponse upstream)
    {
        if (plan.Translated.StructuredOutput is not null)
        {
            await RelayStructuredAsync(call, plan, upstream);
            return;
        }

        var continuation = StreamContinuation.Create(executor, call.Targets, plan.Target, call.Outcome.Attempts);
        if (!plan.Upstream!.Stream)
        {
            var completion = await ReadCompletionAsync(upstream, call.Aborted);
            var message = responses.Translate(completion, plan.Translated);
            if (completion.Choices is { Count: > 0 } choices && choices[0].Message is { } answer)
            {
                Remember(answer.ReasoningContent, answer.ToolCalls?.Select(c => c.Id ?? string.Empty));
            }

            call.Outcome.Usage = TokenUsage.FromAnthropic(message.Usage, completion.Usage?.CompletionTokensDetails?.ReasoningTokens ?? 0);
            call.Outcome.StopReason = message.StopReason;
            await call.FinishAsync();
            await ClientJson.WriteAsync(call.Response, 200, message, AnthropicJsonContext.Default.MessageResponse, call.Aborted);
            return;
        }

        if (!plan.Request.Stream)
        {
            // A JSON answer read from a stream (stop sequences are matched on the stream).
            var aggregate = new MessageAggregator();
            await PumpAsync(call, plan, upstream, continuation, null, events =>
            {
                aggregate.Add(events);
                return ValueTask.CompletedTask;
            }, throwOnError: true);
            var built = aggregate.Build();
            await ClientJson.WriteAsync(call.Response, 200, built, AnthropicJsonContext.Default.MessageResponse, call.Aborted);
            return;
        }

        await using var client = new ClientEventStream(call.Response, AnthropicEventFormat.Ping, call.PingInterval, call.Recorder.MarkFirstToken);
        await PumpAsync(call, plan, upstream, continuation, client,
            events => client.WriteAsync(events, AnthropicEventFormat.Instance, flush: false, call.Aborted), throwOnError: false);
        await client.FlushAsync(call.Aborted);
    }

    /// <summary>
    /// Structured output: the whole answer is checked against the schema (repaired once through the executor when it
    /// does not match), then answered the way the Messages API returns structured output, a text block holding the
    /// JSON, as JSON or as a stream.
    /// </summary>
    private async Task RelayStructuredAsync(LaneCall call, MessagesToChatPlan plan, UpstreamResponse upstream)
    {
        var translated = plan.Translated;
        var first = await ReadCompletionAsync(upstream, call.Aborted);
        var answer = await StructuredOutputChecker.CheckAsync(translated.StructuredOutput!, first, (invalid, problems, ct) =>
        {
            var repair = translated.Chat with { Messages = [.. translated.Chat.Messages, .. StructuredOutputChecker.RepairMessages(invalid, problems)] };
            return executor.ExecuteAsync([plan.Target], async (attempt, ct2) =>
            {
                await using var repaired = await attempt.Endpoint.Client.SendAsync(
                    MessagesToChatLane.Serialize(repair, plan.Upstream!.Path.StartsWith("/beta", StringComparison.Ordinal), stream: false), ct2);
                return await ReadCompletionAsync(repaired, ct2);
            }, call.Outcome.Attempts, ct);
        }, call.Aborted);
        var message = responses.Translate(answer.Completion, translated);
        call.Outcome.Usage = TokenUsage.FromAnthropic(message.Usage, answer.Completion.Usage?.CompletionTokensDetails?.ReasoningTokens ?? 0);
        if (!answer.Valid)
        {
            throw StructuredOutputChecker.Failed(answer.Problems);
        }

        call.Outcome.StopReason = message.StopReason;
        if (!plan.Request.Stream)
        {
            await call.FinishAsync();
            await ClientJson.WriteAsync(call.Response, 200, message, AnthropicJsonContext.Default.MessageResponse, call.Aborted);
            return;
        }

        await using var client = new ClientEventStream(call.Response, AnthropicEventFormat.Ping, call.PingInterval, call.Recorder.MarkFirstToken);
        var events = MessageEvents.From(message);
        await call.FinishAsync();
        await client.WriteAsync(events, AnthropicEventFormat.Instance, call.Aborted);
    }

    /// <summary>A JSON completion, checked for DeepSeek's interrupted generation (which the executor retries).</summary>
    public static GatewayException? CheckCompletion(ReadOnlyMemory<byte> body)
    {
        if (body.Span.IndexOf("\"insufficient_system_resource\""u8) < 0)
        {
            return null;
        }

        try
        {
            var completion = JsonSerializer.Deserialize(body.Span, OpenAIJsonContext.Default.ChatCompletion);
            if (completion?.Choices is { Count: > 0 } choices)
            {
                _ = StopReasons.FromFinishReason(choices[0].FinishReason, false);
            }
        }
        catch (GatewayException exception)
        {
            return exception;
        }
        catch (JsonException)
        {
        }

        return null;
    }

    /// <summary>Reads a JSON completion; an empty or malformed body is the upstream breaking off.</summary>
    internal static async Task<ChatCompletion> ReadCompletionAsync(UpstreamResponse upstream, CancellationToken cancellationToken)
    {
        var body = await upstream.ReadBodyAsync(cancellationToken);
        try
        {
            return (body.IsEmpty ? null : JsonSerializer.Deserialize(body.Span, OpenAIJsonContext.Default.ChatCompletion))
                ?? throw UpstreamErrors.Broken(upstream.Options.Name, "returned an empty body");
        }
        catch (JsonException exception)
        {
            throw UpstreamErrors.Broken(upstream.Options.Name, "returned malformed JSON", exception);
        }
    }

    /// <summary>
    /// Translates the accepted stream into <paramref name="write"/>. A failure after the stream started becomes an
    /// <c>error</c> event (or, with <paramref name="throwOnError"/>, an exception), never a clean end. The outcome is
    /// recorded right before the final events are written. With a <paramref name="client"/>, <paramref name="write"/>
    /// need not flush: the client is flushed whenever the upstream has nothing more buffered.
    /// </summary>
    private async Task PumpAsync(
        LaneCall call, MessagesToChatPlan plan, UpstreamResponse upstream, StreamContinuation? continuation,
        ClientEventStream? client, Func<IReadOnlyList<StreamEvent>, ValueTask> write, bool throwOnError)
    {
        var cancellationToken = call.Aborted;
        var translated = plan.Translated;
        var translator = new StreamTranslator(translated, responses, AnthropicIds.NewMessageId(), tokens.CountPrompt(translated.Chat), tokens.CountText);
        var events = new List<StreamEvent>(8);
        UpstreamResponse? continued = null;
        try
        {
            translator.Start(events);
            await FlushAsync(write, events);
            var current = upstream;
            while (true)
            {
                GatewayException? broken = null;
                try
                {
                    await using var items = current.ReadEventsAsync(ChunkParser, cancellationToken).GetAsyncEnumerator(cancellationToken);
                    while (client is null ? await items.MoveNextAsync() : await client.NextAsync(items, cancellationToken))
                    {
                        if (items.Current.Data is not { } chunk)
                        {
                            continue;
                        }

                        translator.Process(chunk, events);
                        await FlushAsync(write, events);
                        if (translator.StopSequenceMatched)
                        {
                            break;
                        }
                    }
                }
                catch (GatewayException exception) when (continuation is not null && !cancellationToken.IsCancellationRequested &&
                                                         exception.Failure?.Origin != FailureOrigin.Drain)
                {
                    // A stream Switchyard itself is cutting (shutdown) is not continued elsewhere.
                    broken = exception;
                }

                if (client is not null)
                {
                    await client.FlushAsync(cancellationToken);
                }

                if (continuation is null || (broken is null && !translator.Interrupted))
                {
                    break;
                }

                broken ??= UpstreamErrors.Broken(current.Options.Name, "ended the stream before the response was complete");
                if (continuation.Obstacle is not null || !translator.TryBeginContinuation(out var reasoning, out var text, out _))
                {
                    throw broken;
                }

                UpstreamResponse next;
                try
                {
                    next = await continuation.ReopenAsync(ContinuationRequest(translated, reasoning, text), cancellationToken);
                }
                catch (GatewayException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw broken;
                }

                if (continued is not null)
                {
                    await continued.DisposeAsync();
                }

                continued = next;
                current = next;
            }

            translator.Complete(events);
            Remember(translator.Reasoning, translator.ToolCallIds);
            call.Outcome.Usage = TokenUsage.FromAnthropic(translator.FinalUsage, translator.UpstreamUsage?.CompletionTokensDetails?.ReasoningTokens ?? 0);
            call.Outcome.StopReason = events.OfType<MessageDeltaEvent>().LastOrDefault()?.Delta.StopReason;
            await call.FinishAsync();
            await FlushAsync(write, events);
        }
        catch (GatewayException exception) when (!throwOnError && !cancellationToken.IsCancellationRequested)
        {
            if (continued is not null)
            {
                await continued.DisposeAsync();
                continued = null;
            }

            events.Clear();
            events.Add(new ErrorEvent(ErrorBodies.AnthropicDetail(exception)));
            await call.FinishAsync(200, exception);
            await FlushAsync(write, events);
        }
        finally
        {
            if (continued is not null)
            {
                await continued.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Remembers the reasoning of a tool-call turn under its tool-call ids, for clients that send the turn back without
    /// its thinking block (Claude Code on --continue and --resume; OpenAI-format clients that drop reasoning_content).
    /// </summary>
    private void Remember(string? reasoning, IEnumerable<string>? toolCallIds)
    {
        var ids = toolCallIds?.Where(id => id.Length > 0).ToList();
        if (!string.IsNullOrEmpty(reasoning) && ids is { Count: > 0 })
        {
            memory.Remember(ReasoningKeys.ForToolCalls(ids), new ReasoningEntry(reasoning));
        }
    }

    /// <summary>
    /// The request that continues an interrupted message: the original conversation with the output so far as an
    /// assistant prefix (<c>prefix:true</c>, with <c>reasoning_content</c> in thinking mode), for <c>/beta</c>.
    /// A prefill of the original request stays in front of the new prefix; <c>max_tokens</c> shrinks by the prefix.
    /// </summary>
    private ChatCompletionRequest ContinuationRequest(TranslatedRequest request, string reasoning, string text)
    {
        var messages = request.Chat.Messages.ToList();
        var prefill = string.Empty;
        var priorReasoning = string.Empty;
        if (request.Prefill && messages.Count > 0 && messages[^1].Prefix == true)
        {
            prefill = messages[^1].Content ?? string.Empty;
            priorReasoning = messages[^1].ReasoningContent ?? string.Empty;
            messages.RemoveAt(messages.Count - 1);
        }

        messages.Add(new ChatMessage
        {
            Role = "assistant",
            Content = prefill + text,
            ReasoningContent = request.Thinking ? priorReasoning + reasoning : null,
            Prefix = true,
        });
        var produced = reasoning.Length + text.Length == 0 ? 0 : tokens.CountText(reasoning + text);
        return request.Chat with
        {
            Messages = messages,
            MaxTokens = request.Chat.MaxTokens is { } max ? Math.Max(1, max - produced) : null,
        };
    }

    private static async ValueTask FlushAsync(Func<IReadOnlyList<StreamEvent>, ValueTask> write, List<StreamEvent> events)
    {
        if (events.Count > 0)
        {
            await write(events);
            events.Clear();
        }
    }
}
