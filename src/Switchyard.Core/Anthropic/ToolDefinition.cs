using System.Text.Json;

namespace Switchyard.Anthropic;

/// <summary>A function tool the model may call.</summary>
/// <param name="Name">The tool name.</param>
/// <param name="Description">The description, if any.</param>
/// <param name="InputSchema">The JSON Schema of the input object.</param>
public sealed record ToolDefinition(string Name, string? Description, JsonElement InputSchema);
