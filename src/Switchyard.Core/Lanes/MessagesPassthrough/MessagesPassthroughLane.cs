using Switchyard.Compatibility;
using Switchyard.Errors;
using Switchyard.Lanes.Relay;
using Switchyard.Providers;
using Switchyard.Routing;

namespace Switchyard.Lanes.MessagesPassthrough;

/// <summary>
/// Anthropic clients on an Anthropic-format upstream: the body goes up byte for byte (only the model name and the
/// credentials change) and the answer comes back byte for byte, streams flushed as they arrive. The usage and stop
/// reason are read from the passing bytes for the outcome, and a final upstream error reaches the client as the
/// upstream sent it.
/// </summary>
public sealed class MessagesPassthroughLane() : Lane("messages→messages", ClientFormat.Anthropic, ProviderKind.Anthropic, CompatibilityTables.MessagesPassthrough, LaneOperation.Generate, LaneOperation.CountTokens)
{
    /// <inheritdoc />
    public override LanePlan Prepare(LaneRequest request, ResolvedTarget target)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(target);
        var headers = new List<KeyValuePair<string, string>>(3);
        foreach (var name in UpstreamClient.AnthropicForwardedHeaders)
        {
            if (request.Header(name) is { } value)
            {
                headers.Add(new(name, value));
            }
        }

        var path = request.Operation == LaneOperation.CountTokens ? "/v1/messages/count_tokens" : "/v1/messages";
        var stream = request.Operation == LaneOperation.Generate && request.Stream;
        return new LanePlan
        {
            Target = target,
            Upstream = new UpstreamRequest(path, JsonModelRewriter.Rewrite(request.Body, target.Model.UpstreamModel), stream) { Headers = headers },
        };
    }

    /// <inheritdoc />
    public override async Task RelayAsync(LaneCall call, LanePlan plan, UpstreamResponse? upstream)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(upstream);
        var response = call.Response;
        foreach (var header in upstream.Headers)
        {
            if (IsRelayed(header.Key))
            {
                response.SetHeader(header.Key, string.Join(", ", header.Value));
            }
        }

        if (!plan.Upstream!.Stream)
        {
            var body = await upstream.ReadBodyAsync(call.Aborted);
            var observer = new AnthropicMessageObserver(body);
            call.Outcome.Usage = observer.Usage;
            call.Outcome.StopReason = observer.StopReason;
            await call.FinishAsync(upstream.Status);
            response.Start(upstream.Status, upstream.ContentType ?? "application/json", stream: false);
            await response.Writer.WriteAsync(body, call.Aborted);
            return;
        }

        var events = new AnthropicStreamObserver();
        response.Start(upstream.Status, upstream.ContentType ?? "text/event-stream; charset=utf-8", stream: true);
        await response.Writer.FlushAsync(call.Aborted);
        try
        {
            await upstream.CopyToAsync(async (chunk, ct) =>
            {
                var ended = events.Ended;
                events.Observe(chunk.Span);
                if (events.SawContent)
                {
                    call.Recorder.MarkFirstToken();
                }

                if (events.Ended && !ended)
                {
                    // The stream's last event passes in this chunk: the record is written before the client has it all.
                    call.Outcome.Usage = events.Usage;
                    call.Outcome.StopReason = events.StopReason;
                    await call.FinishAsync(200, events.Error);
                }

                await response.Writer.WriteAsync(chunk, ct);
            }, call.Aborted);
            if (!events.Ended)
            {
                throw UpstreamErrors.Broken(upstream.Options.Name, "ended the stream before message_stop");
            }
        }
        catch (GatewayException error) when (!call.Aborted.IsCancellationRequested && !events.Ended)
        {
            // A cut is never a clean end: the client gets an error event. The blank lines first end whatever frame the
            // upstream left half-written, so the event parses on its own.
            call.Outcome.Usage = events.Usage;
            await call.FinishAsync(200, error);
            await response.Writer.WriteAsync("\n\n"u8.ToArray(), CancellationToken.None);
            await response.Writer.WriteAsync(ErrorEvent(error), CancellationToken.None);
        }
    }

    /// <summary>An Anthropic <c>error</c> event frame.</summary>
    private static byte[] ErrorEvent(GatewayException error)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            AnthropicEventFormat.Instance.Write(buffer, json, new Anthropic.ErrorEvent(ErrorBodies.AnthropicDetail(error)));
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <inheritdoc />
    public override async ValueTask<bool> TryWriteFailureAsync(LaneCall call, GatewayException error)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(error);
        if (call.Response.HasStarted || error.Failure is not { Origin: FailureOrigin.Response, Status: { } status } failure || failure.Body.IsEmpty)
        {
            return false;
        }

        foreach (var (name, values) in failure.Headers)
        {
            call.Response.SetHeader(name, string.Join(", ", values));
        }

        call.Response.SetHeader("x-switchyard-provider", failure.Provider);
        await call.FinishAsync(status, error);
        await ClientJson.WriteAsync(call.Response, status, failure.Body, call.Aborted);
        return true;
    }

    private static bool IsRelayed(string header) =>
        UpstreamClient.RelayedResponseHeaders.Contains(header, StringComparer.OrdinalIgnoreCase) ||
        header.StartsWith("anthropic-ratelimit-", StringComparison.OrdinalIgnoreCase);
}
