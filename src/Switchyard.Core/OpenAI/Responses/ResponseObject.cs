using System.Text.Json;
using System.Text.Json.Serialization;
using Switchyard.Accounting;

namespace Switchyard.OpenAI.Responses;

/// <summary>
/// The Responses API's <c>response</c> object: the answer of <c>POST /v1/responses</c>, the payload of its lifecycle
/// stream events, and what <c>GET /v1/responses/{id}</c> returns. Fields OpenAI documents as nullable are written as
/// <c>null</c> rather than left out, as the SDKs' types expect.
/// </summary>
public sealed record ResponseObject
{
    private static readonly JsonElement DefaultText = JsonElement.Parse("{\"format\":{\"type\":\"text\"}}");
    private static readonly JsonElement DefaultToolChoice = JsonElement.Parse("\"auto\"");
    private static readonly JsonElement NoTools = JsonElement.Parse("[]");

    /// <summary><c>resp_…</c>.</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }

    /// <summary>Always "response".</summary>
    [JsonPropertyName("object")] public string Object { get; init; } = "response";

    /// <summary>Unix seconds.</summary>
    [JsonPropertyName("created_at")] public long CreatedAt { get; init; }

    /// <summary>in_progress, completed, incomplete or failed.</summary>
    [JsonPropertyName("status")] public required string Status { get; init; }

    /// <summary>Always false: background mode is not supported.</summary>
    [JsonPropertyName("background")] public bool Background { get; init; }

    /// <summary>Why a failed response failed.</summary>
    [JsonPropertyName("error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ResponseError? Error { get; init; }

    /// <summary>Why an incomplete response stopped early.</summary>
    [JsonPropertyName("incomplete_details")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IncompleteDetails? IncompleteDetails { get; init; }

    /// <summary>The request's instructions.</summary>
    [JsonPropertyName("instructions")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Instructions { get; init; }

    /// <summary>The request's output budget.</summary>
    [JsonPropertyName("max_output_tokens")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? MaxOutputTokens { get; init; }

    /// <summary>The model that served (catalog id).</summary>
    [JsonPropertyName("model")] public required string Model { get; init; }

    /// <summary>The output items.</summary>
    [JsonPropertyName("output")] public IReadOnlyList<ResponseItem> Output { get; init; } = [];

    /// <summary>As requested.</summary>
    [JsonPropertyName("parallel_tool_calls")] public bool ParallelToolCalls { get; init; } = true;

    /// <summary>The response this one continues.</summary>
    [JsonPropertyName("previous_response_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? PreviousResponseId { get; init; }

    /// <summary>The reasoning settings in force.</summary>
    [JsonPropertyName("reasoning")] public ResponseReasoning Reasoning { get; init; } = new();

    /// <summary>Whether the response is stored.</summary>
    [JsonPropertyName("store")] public bool Store { get; init; } = true;

    /// <summary>As requested.</summary>
    [JsonPropertyName("temperature")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? Temperature { get; init; }

    /// <summary>The text format, as requested (default <c>{"format":{"type":"text"}}</c>).</summary>
    [JsonPropertyName("text")] public JsonElement Text { get; init; } = DefaultText;

    /// <summary>The tool choice, as requested (default <c>"auto"</c>).</summary>
    [JsonPropertyName("tool_choice")] public JsonElement ToolChoice { get; init; } = DefaultToolChoice;

    /// <summary>The tools, as requested.</summary>
    [JsonPropertyName("tools")] public JsonElement Tools { get; init; } = NoTools;

    /// <summary>As requested.</summary>
    [JsonPropertyName("top_p")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? TopP { get; init; }

    /// <summary>Always "disabled": the conversation is sent as given.</summary>
    [JsonPropertyName("truncation")] public string Truncation { get; init; } = "disabled";

    /// <summary>Token usage, once known.</summary>
    [JsonPropertyName("usage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ResponseUsage? Usage { get; init; }

    /// <summary>As requested.</summary>
    [JsonPropertyName("user")] public string? User { get; init; }

    /// <summary>As requested.</summary>
    [JsonPropertyName("safety_identifier")] public string? SafetyIdentifier { get; init; }

    /// <summary>The request's metadata (at most 16 string pairs).</summary>
    [JsonPropertyName("metadata")] public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}

/// <summary>The <c>reasoning</c> object of a response.</summary>
public sealed record ResponseReasoning
{
    /// <summary>The requested effort, or null.</summary>
    [JsonPropertyName("effort")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Effort { get; init; }

    /// <summary>The requested summary mode, or null.</summary>
    [JsonPropertyName("summary")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Summary { get; init; }
}

/// <summary>Why a response failed.</summary>
/// <param name="Code">server_error, rate_limit_exceeded, …</param>
/// <param name="Message">What happened.</param>
public sealed record ResponseError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message);

/// <summary>Why a response is incomplete.</summary>
/// <param name="Reason">max_output_tokens or content_filter.</param>
public sealed record IncompleteDetails([property: JsonPropertyName("reason")] string Reason);

/// <summary>Usage in the Responses API's terms.</summary>
public sealed record ResponseUsage
{
    /// <summary>All input tokens, cached ones included.</summary>
    [JsonPropertyName("input_tokens")] public int InputTokens { get; init; }

    /// <summary>Cached input detail.</summary>
    [JsonPropertyName("input_tokens_details")] public InputTokensDetails InputTokensDetails { get; init; } = new(0);

    /// <summary>Output tokens, reasoning included.</summary>
    [JsonPropertyName("output_tokens")] public int OutputTokens { get; init; }

    /// <summary>Reasoning detail.</summary>
    [JsonPropertyName("output_tokens_details")] public OutputTokensDetails OutputTokensDetails { get; init; } = new(0);

    /// <summary>Input plus output.</summary>
    [JsonPropertyName("total_tokens")] public int TotalTokens { get; init; }

    /// <summary>The usage in the Responses API's terms (input tokens include the cache hits, output tokens the reasoning).</summary>
    public static ResponseUsage From(TokenUsage usage) => new()
    {
        InputTokens = usage.InputTokens,
        InputTokensDetails = new InputTokensDetails(usage.CacheHitTokens),
        OutputTokens = usage.OutputTokens,
        OutputTokensDetails = new OutputTokensDetails(usage.ReasoningTokens),
        TotalTokens = usage.InputTokens + usage.OutputTokens,
    };
}

/// <summary>Input token detail.</summary>
/// <param name="CachedTokens">Input tokens served from the upstream's prefix cache.</param>
public sealed record InputTokensDetails([property: JsonPropertyName("cached_tokens")] int CachedTokens);

/// <summary>Output token detail.</summary>
/// <param name="ReasoningTokens">Reasoning tokens within the output.</param>
public sealed record OutputTokensDetails([property: JsonPropertyName("reasoning_tokens")] int ReasoningTokens);

/// <summary>The answer of <c>DELETE /v1/responses/{id}</c>.</summary>
/// <param name="Id">The deleted response.</param>
public sealed record ResponseDeleted([property: JsonPropertyName("id")] string Id)
{
    /// <summary>Always "response.deleted".</summary>
    [JsonPropertyName("object")] public string Object { get; init; } = "response.deleted";

    /// <summary>Always true.</summary>
    [JsonPropertyName("deleted")] public bool Deleted { get; init; } = true;
}

/// <summary>A page of <c>GET /v1/responses/{id}/input_items</c>.</summary>
public sealed record ResponseItemList
{
    /// <summary>Always "list".</summary>
    [JsonPropertyName("object")] public string Object { get; init; } = "list";

    /// <summary>The items of the page.</summary>
    [JsonPropertyName("data")] public required IReadOnlyList<ResponseItem> Data { get; init; }

    /// <summary>The first item's id.</summary>
    [JsonPropertyName("first_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FirstId { get; init; }

    /// <summary>The last item's id.</summary>
    [JsonPropertyName("last_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? LastId { get; init; }

    /// <summary>Whether more items follow.</summary>
    [JsonPropertyName("has_more")] public bool HasMore { get; init; }
}
