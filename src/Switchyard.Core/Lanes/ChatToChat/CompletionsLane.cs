using System.Buffers;
using System.Text.Json;
using Switchyard.Compatibility;
using Switchyard.Errors;
using Switchyard.Lanes.Relay;
using Switchyard.Providers;
using Switchyard.Routing;

namespace Switchyard.Lanes.ChatToChat;

/// <summary>
/// FIM completion (<c>/beta/completions</c>) on an OpenAI-format upstream: the request is checked against the
/// <see cref="CompatibilityTables.Completions"/> table, sent through the executor like every lane (retries,
/// fallbacks), and the answer relayed as the upstream wrote it.
/// </summary>
public sealed class CompletionsLane() : Lane("completions→completions", ClientFormat.OpenAI, ProviderKind.OpenAI, CompatibilityTables.Completions, LaneOperation.Complete)
{
    /// <inheritdoc />
    public override LanePlan Prepare(LaneRequest request, ResolvedTarget target)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(target);
        var body = request.Json;
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.Invalid("The request body must be a JSON object.");
        }

        Check(body);
        var buffer = new ArrayBufferWriter<byte>(request.Body.Length + 64);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JsonOutput.Encoder }))
        {
            w.WriteStartObject();
            w.WriteString("model", target.Model.UpstreamModel);
            foreach (var property in body.EnumerateObject())
            {
                if (property.Name != "model" && CompatibilityTables.Completions.Lookup(CompatibilityScope.Field, property.Name).Support != Support.Ignored)
                {
                    property.WriteTo(w);
                }
            }

            w.WriteEndObject();
        }

        return new LanePlan
        {
            Target = target,
            Upstream = new UpstreamRequest("/beta/completions", buffer.WrittenMemory, request.Stream),
        };
    }

    /// <inheritdoc />
    public override async Task RelayAsync(LaneCall call, LanePlan plan, UpstreamResponse? upstream)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(upstream);
        var observer = new ChatStreamObserver();
        if (!plan.Upstream!.Stream)
        {
            var body = await upstream.ReadBodyAsync(call.Aborted);
            try
            {
                observer.Observe(body.Span);
            }
            catch (JsonException)
            {
                // Relayed as it is.
            }

            call.Outcome.Usage = observer.Usage;
            call.Outcome.StopReason = observer.FinishReason;
            await call.FinishAsync();
            await ClientJson.WriteAsync(call.Response, 200, body, call.Aborted);
            return;
        }

        var frames = new JsonFrame[1];
        await using var client = new ClientEventStream(call.Response, SseFrames.KeepAliveComment, call.PingInterval, call.Recorder.MarkFirstToken);
        await client.OpenAsync(call.Aborted);
        try
        {
            await using var items = upstream.ReadEventsAsync(new EventDataBuffer().Parser, call.Aborted).GetAsyncEnumerator(call.Aborted);
            while (await client.NextAsync(items, call.Aborted))
            {
                var item = items.Current;
                if (item.Data.Span.SequenceEqual("[DONE]"u8))
                {
                    call.Outcome.Usage = observer.Usage;
                    call.Outcome.StopReason = observer.FinishReason;
                    await call.FinishAsync();
                    await client.WriteRawAsync(SseFrames.Done, call.Aborted);
                    return;
                }

                bool content;
                try
                {
                    content = observer.Observe(item.Data.Span);
                }
                catch (JsonException exception)
                {
                    throw UpstreamErrors.Broken(upstream.Options.Name, "sent a malformed stream chunk", exception);
                }

                frames[0] = new JsonFrame(item.Data, content);
                await client.WriteAsync(frames, JsonFrameFormat.Instance, flush: false, call.Aborted);
            }

            throw UpstreamErrors.Broken(upstream.Options.Name, "ended the stream without [DONE]");
        }
        catch (GatewayException error) when (!call.Aborted.IsCancellationRequested)
        {
            call.Outcome.Usage = observer.Usage;
            await call.FinishAsync(200, error);
            frames[0] = new JsonFrame(ErrorBodies.OpenAIBytes(error), false);
            await client.WriteAsync(frames, JsonFrameFormat.Instance, CancellationToken.None);
        }
    }

    private static void Check(JsonElement body)
    {
        if (!body.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String)
        {
            throw GatewayException.Invalid("model is required and must be a non-empty string", "model");
        }

        Models.ModelCatalog.RequireName(model.GetString()!);

        if (!body.TryGetProperty("prompt", out var prompt) || prompt.ValueKind != JsonValueKind.String)
        {
            throw GatewayException.Invalid("prompt is required and must be a string", "prompt");
        }

        Kind(body, "suffix", JsonValueKind.String, "a string");
        Kind(body, "echo", JsonValueKind.True, "a boolean");
        Kind(body, "stream", JsonValueKind.True, "a boolean");
        Integer(body, "max_tokens", 1, int.MaxValue);
        Integer(body, "logprobs", 0, 20);
        Number(body, "temperature", 0, 2);
        Number(body, "top_p", 0, 1);
        Number(body, "presence_penalty", -2, 2);
        Number(body, "frequency_penalty", -2, 2);
        if (Present(body, "stop") is { } stop &&
            !(stop.ValueKind == JsonValueKind.String ||
              (stop.ValueKind == JsonValueKind.Array && stop.GetArrayLength() <= 16 && stop.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String))))
        {
            throw GatewayException.Invalid("stop must be a string or an array of at most 16 strings", "stop");
        }

        if (Present(body, "stream_options") is { } options)
        {
            if (options.ValueKind != JsonValueKind.Object)
            {
                throw GatewayException.Invalid("stream_options must be an object", "stream_options");
            }

            if (Present(body, "stream")?.ValueKind != JsonValueKind.True)
            {
                throw GatewayException.Invalid("stream_options should be set along with stream = true", "stream_options");
            }
        }
    }

    private static JsonElement? Present(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static void Kind(JsonElement body, string name, JsonValueKind kind, string what)
    {
        if (Present(body, name) is { } value && value.ValueKind != kind && !(kind == JsonValueKind.True && value.ValueKind == JsonValueKind.False))
        {
            throw GatewayException.Invalid($"{name} must be {what}", name);
        }
    }

    private static void Integer(JsonElement body, string name, long min, long max)
    {
        if (Present(body, name) is { } value && (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number) || number < min || number > max))
        {
            throw GatewayException.Invalid($"{name} must be an integer between {min} and {max}", name);
        }
    }

    private static void Number(JsonElement body, string name, double min, double max)
    {
        if (Present(body, name) is { } value && (value.ValueKind != JsonValueKind.Number || value.GetDouble() is var number && (number < min || number > max)))
        {
            throw GatewayException.Invalid($"{name} must be a number between {min} and {max}", name);
        }
    }
}
