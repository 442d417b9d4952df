using System.Text.Json.Serialization;

namespace Switchyard.Anthropic;

/// <summary><c>tool_choice</c>.</summary>
/// <param name="Type"><c>auto</c>, <c>any</c>, <c>tool</c> or <c>none</c>.</param>
/// <param name="Name">The tool to call, for <c>tool</c>.</param>
/// <param name="DisableParallelToolUse"><see langword="true"/> for at most one tool call; null (absent) otherwise.</param>
public sealed record ToolChoiceParam(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name,
    [property: JsonPropertyName("disable_parallel_tool_use"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? DisableParallelToolUse);
