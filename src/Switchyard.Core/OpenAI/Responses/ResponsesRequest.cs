using System.Text.Json;

namespace Switchyard.OpenAI.Responses;

/// <summary>
/// A validated <c>POST /v1/responses</c> body (see <see cref="ResponsesRequestParser"/>): what the translation
/// needs, plus the raw parts a response echoes (<c>tools</c>, <c>tool_choice</c>, <c>text</c>).
/// </summary>
public sealed record ResponsesRequest
{
    /// <summary>The requested model name.</summary>
    public required string Model { get; init; }

    /// <summary>The system instructions (not carried over by <c>previous_response_id</c>).</summary>
    public string? Instructions { get; init; }

    /// <summary>The input items (a string input is one user message).</summary>
    public required IReadOnlyList<ResponseItem> Input { get; init; }

    /// <summary>The client's tools (function and custom; namespaces flattened).</summary>
    public IReadOnlyList<ResponsesTool> Tools { get; init; } = [];

    /// <summary>The tool choice.</summary>
    public ResponsesToolChoice ToolChoice { get; init; } = ResponsesToolChoice.Auto;

    /// <summary><c>parallel_tool_calls</c> (default true).</summary>
    public bool ParallelToolCalls { get; init; } = true;

    /// <summary><c>reasoning.effort</c>: none, minimal, low, medium, high, xhigh.</summary>
    public string? ReasoningEffort { get; init; }

    /// <summary><c>reasoning.summary</c>: auto, concise, detailed (null: reasoning is returned as content).</summary>
    public string? ReasoningSummary { get; init; }

    /// <summary>The requested output format.</summary>
    public ResponsesTextFormat TextFormat { get; init; } = ResponsesTextFormat.Text;

    /// <summary><c>max_output_tokens</c>.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary><c>temperature</c>, 0–2.</summary>
    public double? Temperature { get; init; }

    /// <summary><c>top_p</c>, 0–1.</summary>
    public double? TopP { get; init; }

    /// <summary><c>metadata</c>: at most 16 string pairs, stored with the response.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary><c>user</c> (deprecated by OpenAI in favour of <see cref="SafetyIdentifier"/>).</summary>
    public string? User { get; init; }

    /// <summary><c>safety_identifier</c>.</summary>
    public string? SafetyIdentifier { get; init; }

    /// <summary><c>store</c> (default true).</summary>
    public bool Store { get; init; } = true;

    /// <summary><c>previous_response_id</c>.</summary>
    public string? PreviousResponseId { get; init; }

    /// <summary>Whether <c>include</c> asks for <c>reasoning.encrypted_content</c>.</summary>
    public bool IncludeEncryptedReasoning { get; init; }

    /// <summary><c>stream</c>.</summary>
    public bool Stream { get; init; }

    /// <summary>The raw <c>tools</c> array, echoed in the response.</summary>
    public JsonElement? RawTools { get; init; }

    /// <summary>The raw <c>tool_choice</c>, echoed in the response.</summary>
    public JsonElement? RawToolChoice { get; init; }

    /// <summary>The raw <c>text</c> object, echoed in the response.</summary>
    public JsonElement? RawText { get; init; }
}

/// <summary>What kind of client tool a <see cref="ResponsesTool"/> is.</summary>
public enum ResponsesToolKind
{
    /// <summary>A function with JSON arguments.</summary>
    Function,
    /// <summary>A custom (freeform) tool whose input is plain text.</summary>
    Custom,
}

/// <summary>A tool the model may call, as the upstream sees it and as the client knows it.</summary>
/// <param name="Kind">Function or custom.</param>
/// <param name="Name">The client's name (inside <paramref name="Namespace"/> when set).</param>
/// <param name="Namespace">The namespace tool that groups it, or null.</param>
/// <param name="Description">The description.</param>
/// <param name="Parameters">A function's JSON Schema.</param>
/// <param name="Format">A custom tool's input format (<c>{"type":"grammar",…}</c>), or null for free text.</param>
public sealed record ResponsesTool(
    ResponsesToolKind Kind, string Name, string? Namespace, string? Description, JsonElement? Parameters, JsonElement? Format)
{
    /// <summary>
    /// The function name upstream: the client's name, or <c>{namespace}__{name}</c> for a namespaced tool (Chat
    /// Completions has no namespaces).
    /// </summary>
    public string UpstreamName => Namespace is null ? Name : Namespace + "__" + Name;
}

/// <summary>The tool choice: a mode, a forced tool, or a subset of the tools.</summary>
/// <param name="Mode">none, auto or required.</param>
/// <param name="Forced">The forced tool's upstream name, or null.</param>
/// <param name="Allowed">With <c>allowed_tools</c>: the upstream names the model may call; null for all.</param>
public sealed record ResponsesToolChoice(string Mode, string? Forced = null, IReadOnlySet<string>? Allowed = null)
{
    /// <summary>The default.</summary>
    public static ResponsesToolChoice Auto { get; } = new("auto");

    /// <summary>Whether a call is forced (required or a named tool), which DeepSeek rejects in thinking mode.</summary>
    public bool IsForced => Forced is not null || Mode == "required";
}

/// <summary>The kind of <c>text.format</c>.</summary>
public enum ResponsesTextFormatKind
{
    /// <summary>Plain text.</summary>
    Text,
    /// <summary>JSON mode.</summary>
    JsonObject,
    /// <summary>Structured output with a JSON Schema.</summary>
    JsonSchema,
}

/// <summary><c>text.format</c>.</summary>
/// <param name="Kind">text, json_object or json_schema.</param>
/// <param name="Schema">For json_schema: the schema and its name.</param>
public sealed record ResponsesTextFormat(ResponsesTextFormatKind Kind, JsonSchemaFormat? Schema = null)
{
    /// <summary>Plain text.</summary>
    public static ResponsesTextFormat Text { get; } = new(ResponsesTextFormatKind.Text);
}
