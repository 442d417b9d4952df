using System.Text.Json;
using Switchyard.Accounting;
using Switchyard.Lanes.Relay;
using Switchyard.Memory;
using Switchyard.OpenAI;
using Switchyard.Providers;
using Switchyard.Resilience;
using Switchyard.Translation.StructuredOutput;

namespace Switchyard.Lanes.ChatToChat;

/// <summary>
/// The relay lane's structured output: the upstream's whole answer is checked against the client's schema (repaired
/// once through the executor when it does not match) before anything is sent, then written as Chat Completions do
/// structured output — the JSON in the message <c>content</c> — as JSON or as a stream.
/// </summary>
internal sealed class StructuredChatRelay(UpstreamExecutor executor, IReasoningMemory memory)
{
    public async Task RelayAsync(LaneCall call, ChatToChatPlan plan, UpstreamResponse upstream)
    {
        var structured = plan.StructuredOutput!;
        var first = await ReadAsync(upstream, call.Aborted);
        var answer = await StructuredOutputChecker.CheckAsync(structured, first, (invalid, problems, ct) =>
        {
            var (body, _) = ChatBodyWriter.Write(plan.Request, plan.Target.Model.UpstreamModel, plan.Policy, memory, plan.UserId,
                structured, StructuredOutputChecker.RepairMessages(invalid, problems));
            return executor.ExecuteAsync([plan.Target], async (attempt, ct2) =>
            {
                await using var repaired = await attempt.Endpoint.Client.SendAsync(plan.Upstream! with { Body = body }, ct2);
                return await ReadAsync(repaired, ct2);
            }, call.Outcome.Attempts, ct);
        }, call.Aborted);
        call.Outcome.Usage = TokenUsage.FromChat(answer.Completion.Usage);
        if (!answer.Valid)
        {
            throw StructuredOutputChecker.Failed(answer.Problems);
        }

        var completion = answer.Completion;
        call.Outcome.StopReason = completion.Choices![0].FinishReason;
        if (!plan.Request.Stream)
        {
            await call.FinishAsync();
            await ClientJson.WriteAsync(call.Response, 200, completion, OpenAIJsonContext.Default.ChatCompletion, call.Aborted);
            return;
        }

        await using var client = new ClientEventStream(call.Response, SseFrames.KeepAliveComment, call.PingInterval, call.Recorder.MarkFirstToken);
        var frames = Chunks(completion, plan.Request.IncludeUsage);
        await call.FinishAsync();
        await client.WriteAsync(frames, JsonFrameFormat.Instance, call.Aborted);
        await client.WriteRawAsync(SseFrames.Done, call.Aborted);
    }

    /// <summary>The whole answer as a stream: the role, the reasoning, the JSON, the finish with usage (and OpenAI's usage-only chunk).</summary>
    private static List<JsonFrame> Chunks(ChatCompletion completion, bool includeUsage)
    {
        var message = completion.Choices![0].Message!;
        var frames = new List<JsonFrame>(5);
        void Add(ChatResponseMessage? delta, string? finish, ChatUsage? usage, bool content, bool noChoices = false) => frames.Add(new JsonFrame(
            JsonSerializer.SerializeToUtf8Bytes(new ChatCompletionChunk
            {
                Id = completion.Id,
                Object = "chat.completion.chunk",
                Created = completion.Created,
                Model = completion.Model,
                Choices = noChoices ? [] : [new ChatChunkChoice { Delta = delta, FinishReason = finish }],
                Usage = usage,
            }, OpenAIJsonContext.Default.ChatCompletionChunk), content));
        Add(new ChatResponseMessage { Role = "assistant", Content = string.Empty }, null, null, false);
        if (!string.IsNullOrEmpty(message.ReasoningContent))
        {
            Add(new ChatResponseMessage { ReasoningContent = message.ReasoningContent }, null, null, true);
        }

        Add(new ChatResponseMessage { Content = message.Content }, null, null, true);
        Add(new ChatResponseMessage(), completion.Choices[0].FinishReason, completion.Usage, false);
        if (includeUsage)
        {
            Add(null, null, completion.Usage, false, noChoices: true);
        }

        return frames;
    }

    private static async Task<ChatCompletion> ReadAsync(UpstreamResponse upstream, CancellationToken cancellationToken)
    {
        var body = await upstream.ReadBodyAsync(cancellationToken);
        try
        {
            return (body.IsEmpty ? null : JsonSerializer.Deserialize(body.Span, OpenAIJsonContext.Default.ChatCompletion)) is { Choices.Count: > 0 } completion
                ? completion
                : throw UpstreamErrors.Broken(upstream.Options.Name, "returned an answer without choices");
        }
        catch (JsonException exception)
        {
            throw UpstreamErrors.Broken(upstream.Options.Name, "returned malformed JSON", exception);
        }
    }
}
