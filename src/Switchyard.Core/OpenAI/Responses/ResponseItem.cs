using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchyard.OpenAI.Responses;

/// <summary>
/// An item of a Responses API conversation: what clients send in <c>input</c> and what a response returns in
/// <c>output</c> (both use the same shapes, so stored responses replay as input).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(MessageItem), "message")]
[JsonDerivedType(typeof(ReasoningItem), "reasoning")]
[JsonDerivedType(typeof(FunctionCallItem), "function_call")]
[JsonDerivedType(typeof(FunctionCallOutputItem), "function_call_output")]
[JsonDerivedType(typeof(CustomToolCallItem), "custom_tool_call")]
[JsonDerivedType(typeof(CustomToolCallOutputItem), "custom_tool_call_output")]
public abstract record ResponseItem
{
    /// <summary>The item id (<c>msg_…</c>, <c>rs_…</c>, <c>fc_…</c>); input items may come without one.</summary>
    [JsonPropertyName("id")] public string? Id { get; init; }

    /// <summary>in_progress, completed or incomplete; absent on most input items.</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }
}

/// <summary>A message: user, system or developer input, or the assistant's answer.</summary>
public sealed record MessageItem : ResponseItem
{
    /// <summary>user, system, developer or assistant.</summary>
    [JsonPropertyName("role")] public required string Role { get; init; }

    /// <summary>The content parts (<c>input_text</c>, <c>output_text</c>, <c>refusal</c>).</summary>
    [JsonPropertyName("content")] public required IReadOnlyList<ResponseContentPart> Content { get; init; }
}

/// <summary>The model's reasoning: its text as a summary or as reasoning content, and optionally sealed.</summary>
public sealed record ReasoningItem : ResponseItem
{
    /// <summary><c>summary_text</c> parts (always present, possibly empty).</summary>
    [JsonPropertyName("summary")] public IReadOnlyList<ResponseContentPart> Summary { get; init; } = [];

    /// <summary><c>reasoning_text</c> parts, when the reasoning is returned as content.</summary>
    [JsonPropertyName("content")] public IReadOnlyList<ResponseContentPart>? Content { get; init; }

    /// <summary>The reasoning sealed with the gateway's key (<c>include: ["reasoning.encrypted_content"]</c>).</summary>
    [JsonPropertyName("encrypted_content")] public string? EncryptedContent { get; init; }
}

/// <summary>A function call made by the model.</summary>
public sealed record FunctionCallItem : ResponseItem
{
    /// <summary>The call id the output refers to.</summary>
    [JsonPropertyName("call_id")] public required string CallId { get; init; }

    /// <summary>The function name (inside <see cref="Namespace"/> when set).</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }

    /// <summary>The arguments as a JSON string.</summary>
    [JsonPropertyName("arguments")] public required string Arguments { get; init; }

    /// <summary>The namespace tool that groups the function.</summary>
    [JsonPropertyName("namespace")] public string? Namespace { get; init; }
}

/// <summary>The client's result of a function call.</summary>
public sealed record FunctionCallOutputItem : ResponseItem
{
    /// <summary>The call answered.</summary>
    [JsonPropertyName("call_id")] public required string CallId { get; init; }

    /// <summary>A string, or an array of <c>input_text</c> parts, as the client sent it.</summary>
    [JsonPropertyName("output")] public required JsonElement Output { get; init; }
}

/// <summary>A call of a custom (freeform) tool: its input is free text, not JSON.</summary>
public sealed record CustomToolCallItem : ResponseItem
{
    /// <summary>The call id the output refers to.</summary>
    [JsonPropertyName("call_id")] public required string CallId { get; init; }

    /// <summary>The tool name (inside <see cref="Namespace"/> when set).</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }

    /// <summary>The text the model wrote for the tool.</summary>
    [JsonPropertyName("input")] public required string Input { get; init; }

    /// <summary>The namespace tool that groups the tool.</summary>
    [JsonPropertyName("namespace")] public string? Namespace { get; init; }
}

/// <summary>The client's result of a custom tool call.</summary>
public sealed record CustomToolCallOutputItem : ResponseItem
{
    /// <summary>The call answered.</summary>
    [JsonPropertyName("call_id")] public required string CallId { get; init; }

    /// <summary>A string, or an array of <c>input_text</c> parts, as the client sent it.</summary>
    [JsonPropertyName("output")] public required JsonElement Output { get; init; }
}
