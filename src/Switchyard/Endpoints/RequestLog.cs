using System.Diagnostics;
using Switchyard.Accounting;
using Switchyard.Errors;
using Switchyard.Lanes.Outcome;
using Switchyard.Models;
using Switchyard.Platform;

namespace Switchyard.Endpoints;

/// <summary>
/// The ledger record of one API request, written from the request's <see cref="LaneOutcome"/> exactly once: by the
/// lane right before the response's last bytes (so a record exists for every response a client got, even if the
/// process dies a moment later), or by the middleware for errors and disconnects. Metrics and the request log line
/// are written by the observers from the same record.
/// </summary>
internal sealed class RequestLog(RequestRecord record, PlatformService platform, IEnumerable<IRequestObserver> observers) : IOutcomeRecorder
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private int _written;

    private string? _body;
    private bool _bodyTruncated;

    public RequestRecord Record { get; } = record;

    /// <inheritdoc />
    public LaneOutcome Outcome { get; } = new();

    /// <summary>The response whose <c>x-switchyard-*</c> headers become <see cref="RequestRecord.Decisions"/> at completion.</summary>
    public HttpResponse? Response { get; init; }

    /// <summary>Opt-in body retention; null or off: bodies are not kept.</summary>
    public Hosting.RequestBodyOptions? Retention { get; init; }

    /// <summary>Keeps a copy of the request body when retention is on (cut to its size limit, at a character boundary).</summary>
    public void RetainBody(ReadOnlySpan<byte> body)
    {
        if (Retention is not { Retain: true } retention)
        {
            return;
        }

        var length = Math.Min(body.Length, retention.MaxBytes);
        while (length > 0 && length < body.Length && (body[length] & 0xC0) == 0x80)
        {
            length--;
        }

        _body = System.Text.Encoding.UTF8.GetString(body[..length]);
        _bodyTruncated = length < body.Length;
    }

    /// <summary>
    /// Leases (admissions) released when the pipeline finishes, before the response completes, so a client that
    /// got its answer can immediately use the freed slot.
    /// </summary>
    public List<IAsyncDisposable> Leases { get; } = [];

    /// <inheritdoc />
    public void MarkFirstToken() => Record.TimeToFirstToken ??= Stopwatch.GetElapsedTime(_started);

    /// <inheritdoc />
    public async ValueTask CompleteAsync(int status, GatewayException? error = null)
    {
        if (Interlocked.Exchange(ref _written, 1) != 0)
        {
            return;
        }

        error ??= Outcome.Error;
        Apply(Outcome);
        Record.Status = status;
        Record.ErrorType ??= error?.Kind.AnthropicType();
        Record.Decisions ??= Decisions(Response, Outcome);
        Record.Latency = Stopwatch.GetElapsedTime(_started);
        Record.TimeToFirstToken ??= Record.Latency;
        await platform.RecordAsync(Record);
        if (_body is not null && Retention is { } retention)
        {
            await platform.Runtime.Bodies.StoreAsync(Record.RequestId, _body, _bodyTruncated, DateTimeOffset.UtcNow + retention.RetainFor);
        }

        foreach (var observer in observers)
        {
            observer.OnCompleted(Record);
        }
    }

    /// <summary>The outcome's facts, in the ledger's terms.</summary>
    private void Apply(LaneOutcome outcome)
    {
        if (outcome.Model is { } model)
        {
            Record.RequestedModel = model.Requested;
            Record.ServedModel = model.Model.Id;
            Record.Remapped = model.Remap != ModelRemap.None;
        }

        Record.Provider = outcome.Provider ?? Record.Provider;
        Record.Route = outcome.Route ?? Record.Route;
        Record.Stream = outcome.Stream;
        Record.Retries = outcome.Attempts.Retries;
        // A stream Switchyard cut at the end of its drain time is recorded as such, whatever its status line said.
        Record.StopReason = outcome.Cut ? "cut" : outcome.StopReason;
        if (outcome.Usage is { } usage)
        {
            Record.CacheHitTokens = usage.CacheHitTokens;
            Record.CacheMissTokens = usage.CacheMissTokens + usage.CacheWriteTokens;
            Record.InputTokens = usage.InputTokens;
            Record.OutputTokens = usage.OutputTokens;
            Record.ReasoningTokens = usage.ReasoningTokens;
        }
    }

    /// <summary>The decisions the response reported in its <c>x-switchyard-*</c> headers, by name without the prefix.</summary>
    internal static Dictionary<string, string>? Decisions(HttpResponse? response, LaneOutcome? outcome = null)
    {
        const string prefix = "x-switchyard-";
        Dictionary<string, string>? decisions = null;
        foreach (var (name, value) in response?.Headers ?? (IHeaderDictionary)new HeaderDictionary())
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                (decisions ??= new(StringComparer.OrdinalIgnoreCase))[name[prefix.Length..].ToLowerInvariant()] = value.ToString();
            }
        }

        if (outcome is { Notes.Count: > 0 })
        {
            // What the lane dropped or changed, and why (never message content).
            (decisions ??= new(StringComparer.OrdinalIgnoreCase))["notes"] = string.Join("; ", outcome.Notes);
        }

        if (outcome?.Lane is { } lane)
        {
            (decisions ??= new(StringComparer.OrdinalIgnoreCase))["lane"] = lane;
        }

        return decisions;
    }
}

/// <summary>Access to the <see cref="RequestLog"/> of the current request.</summary>
internal static class RequestLogs
{
    public static RequestLog? GetRequestLog(this HttpContext context) => context.Features.Get<RequestLog>();

    /// <summary>The ledger's name of an API endpoint, or null for paths that are not recorded.</summary>
    public static string? EndpointName(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return null;
        }

        var path = request.Path.Value ?? string.Empty;
        return path.EndsWith("/messages/count_tokens", StringComparison.OrdinalIgnoreCase) ? "count_tokens"
            : path.EndsWith("/messages", StringComparison.OrdinalIgnoreCase) ? "messages"
            : path.EndsWith("/chat/completions", StringComparison.OrdinalIgnoreCase) ? "chat.completions"
            : path.EndsWith("/beta/completions", StringComparison.OrdinalIgnoreCase) ? "completions"
            : path.EndsWith("/responses", StringComparison.OrdinalIgnoreCase) ? "responses"
            : null;
    }
}
