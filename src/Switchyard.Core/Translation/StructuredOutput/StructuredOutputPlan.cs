using System.Text.Json;

namespace Switchyard.Translation.StructuredOutput;

/// <summary>What a lane must ask of the upstream to get <see cref="Schema"/>, and how to read the answer.</summary>
/// <param name="Schema">The client's schema.</param>
/// <param name="Mode">How it is asked.</param>
public sealed record StructuredOutputPlan(OutputSchema Schema, StructuredOutputMode Mode)
{
    /// <summary>The function the forced modes declare (the answer is its arguments).</summary>
    public const string ToolName = "structured_output";

    /// <summary>Whether the request goes to <c>/beta</c> (strict function calling).</summary>
    public bool Beta => Mode == StructuredOutputMode.StrictTool;

    /// <summary>Whether thinking must be off: DeepSeek rejects a forced tool choice in thinking mode.</summary>
    public bool DisablesThinking => Mode != StructuredOutputMode.JsonMode;

    /// <summary>The description of the function the forced modes declare.</summary>
    public string ToolDescription => Schema.Description is { Length: > 0 } description
        ? $"Return the answer ({Schema.Name}): {description}"
        : $"Return the answer ({Schema.Name}) as the arguments of this function, matching its parameters exactly.";

    /// <summary>The system instruction of <see cref="StructuredOutputMode.JsonMode"/> (it names "JSON", as DeepSeek's JSON mode requires).</summary>
    public string Instruction =>
        "Respond with a single JSON object only (no prose, no code fences) that is valid against this JSON Schema" +
        (Schema.Description is { Length: > 0 } d ? $" ({d})" : string.Empty) + ":\n" + Schema.Schema.GetRawText();

    /// <summary>The schema as the forced function's parameters (reduced to DeepSeek's strict keywords in strict mode).</summary>
    public JsonElement Parameters => Mode == StructuredOutputMode.StrictTool ? StrictSchema.Reduce(Schema.Schema) : Schema.Schema;
}
