using System.Text.Json;

namespace Switchyard.Anthropic;

/// <summary>A function tool the model may call.</summary>
/// <param name="Name">The tool name.</param>
/// <param name="Description">The description, if any.</param>
/// <param name="InputSchema">The JSON Schema of the input object.</param>
public sealed record ToolDefinition(string Name, string? Description, JsonElement InputSchema)
{
    /// <summary>
    /// <c>defer_loading:true</c>: the model sees the tool only once it is loaded (a <c>tool_reference</c> or
    /// <c>tool_addition</c> names it): Claude Code's tool search.
    /// </summary>
    public bool Deferred { get; init; }
}
