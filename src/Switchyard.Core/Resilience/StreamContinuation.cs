using Switchyard.OpenAI;
using Switchyard.Providers;
using Switchyard.Routing;

namespace Switchyard.Resilience;

/// <summary>
/// How a broken stream is continued: which targets may continue it (the same model, on providers with chat prefix
/// completion, the one that served first) and how many times. See docs/resilience.md.
/// </summary>
public sealed class StreamContinuation
{
    private readonly UpstreamExecutor _executor;
    private readonly IReadOnlyList<ResolvedTarget> _targets;
    private readonly AttemptReport _report;

    private StreamContinuation(UpstreamExecutor executor, IReadOnlyList<ResolvedTarget> targets, AttemptReport report)
    {
        _executor = executor;
        _targets = targets;
        _report = report;
        Remaining = executor.Options.MaxContinuations;
    }

    /// <summary>Continuations left.</summary>
    public int Remaining { get; private set; }

    /// <summary>
    /// The continuation for a stream served by <paramref name="served"/>, or null when none is possible (continuation
    /// off, or no target of <paramref name="targets"/> serves the same model with prefix completion).
    /// </summary>
    public static StreamContinuation? Create(UpstreamExecutor executor, IReadOnlyList<ResolvedTarget> targets, ResolvedTarget served, AttemptReport report)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(served);
        ArgumentNullException.ThrowIfNull(report);
        if (executor.Options.MaxContinuations <= 0)
        {
            return null;
        }

        // The served target first, then the route's other targets with the same model.
        var candidates = targets.Prepend(served)
            .Where(t => t.Provider.Kind == ProviderKind.OpenAI && t.Provider.SupportsPrefixCompletion &&
                        string.Equals(t.Model.Model.Id, served.Model.Model.Id, StringComparison.OrdinalIgnoreCase))
            .DistinctBy(t => t.Provider.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return candidates.Count == 0 ? null : new StreamContinuation(executor, candidates, report);
    }

    /// <summary>Why a broken stream cannot be continued here, or null when it can be tried.</summary>
    public string? Obstacle => Remaining <= 0 ? "the continuation attempts are used up" : null;

    /// <summary>
    /// Opens the continuation stream of <paramref name="request"/> (the original request with the assistant prefix, for
    /// <c>/beta/chat/completions</c>) with retries and fallbacks, and marks the endpoint that broke as failed.
    /// </summary>
    public async Task<UpstreamResponse> ReopenAsync(ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Remaining--;
        _report.Endpoint?.Breaker.RecordFailure();
        _report.Continuations++;
        return await _executor.ExecuteAsync(_targets, async (attempt, ct) =>
        {
            var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
                request with { Model = attempt.Target.Model.UpstreamModel, Stream = true, StreamOptions = new ChatStreamOptions(true) },
                OpenAIJsonContext.Default.ChatCompletionRequest);
            var stream = await attempt.Endpoint.Client.SendAsync(new UpstreamRequest("/beta/chat/completions", body, Stream: true), ct);
            stream.Attach(attempt.KeepLease());
            return stream;
        }, _report, cancellationToken);
    }
}
