namespace Switchyard.Accounting;

/// <summary>
/// Everything known about one API request, filled in as it is served and written to the usage ledger at its
/// end, whatever the outcome (success, error, client disconnect).
/// </summary>
public sealed class RequestRecord
{
    /// <summary>The <c>req_…</c> id, as in the <c>request-id</c> header.</summary>
    public required string RequestId { get; init; }

    /// <summary>When the request arrived.</summary>
    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The client key's id, or null in open mode.</summary>
    public string? KeyId { get; set; }

    /// <summary>The client key's name (never the secret).</summary>
    public string? KeyName { get; set; }

    /// <summary>The client's wire format: <c>anthropic</c> or <c>openai</c>.</summary>
    public string Format { get; set; } = "anthropic";

    /// <summary>The endpoint, e.g. <c>messages</c>, <c>count_tokens</c>, <c>chat.completions</c>.</summary>
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>The model name the client sent.</summary>
    public string? RequestedModel { get; set; }

    /// <summary>The model that served.</summary>
    public string? ServedModel { get; set; }

    /// <summary>Whether the requested name was mapped to another model.</summary>
    public bool Remapped { get; set; }

    /// <summary>The provider that served.</summary>
    public string? Provider { get; set; }

    /// <summary>The route that chose the provider.</summary>
    public string? Route { get; set; }

    /// <summary>Whether the response was streamed.</summary>
    public bool Stream { get; set; }

    /// <summary>HTTP status sent to the client (200 for streams that later failed; see <see cref="ErrorType"/>).</summary>
    public int Status { get; set; }

    /// <summary>The error type when the request failed (also for an <c>error</c> event inside a stream).</summary>
    public string? ErrorType { get; set; }

    /// <summary>True when the client went away before the response was complete.</summary>
    public bool ClientDisconnected { get; set; }

    /// <summary>The stop reason (Anthropic terms) or finish reason (OpenAI terms).</summary>
    public string? StopReason { get; set; }

    /// <summary>All input tokens (cache hits plus misses).</summary>
    public int InputTokens { get; set; }

    /// <summary>Input tokens served from the upstream's cache.</summary>
    public int CacheHitTokens { get; set; }

    /// <summary>Input tokens not in the cache.</summary>
    public int CacheMissTokens { get; set; }

    /// <summary>Output tokens, reasoning included.</summary>
    public int OutputTokens { get; set; }

    /// <summary>Reasoning tokens within <see cref="OutputTokens"/>, when the upstream reports them.</summary>
    public int ReasoningTokens { get; set; }

    /// <summary>Cost in US dollars from the price table.</summary>
    public decimal CostUsd { get; set; }

    /// <summary>Upstream attempts beyond the first.</summary>
    public int Retries { get; set; }

    /// <summary>Total time until the response was complete.</summary>
    public TimeSpan? Latency { get; set; }

    /// <summary>Time until the first output token reached the client (streams) or the body was sent.</summary>
    public TimeSpan? TimeToFirstToken { get; set; }

    /// <summary>Time spent waiting on the upstream (for the gateway-overhead metric).</summary>
    public TimeSpan? UpstreamTime { get; set; }

    /// <summary>
    /// How the request was served, as the response's <c>x-switchyard-*</c> headers told the client (mapped model,
    /// thinking decision, retries, route, provider, restored reasoning…), by header name without the prefix.
    /// </summary>
    public Dictionary<string, string>? Decisions { get; set; }
}
