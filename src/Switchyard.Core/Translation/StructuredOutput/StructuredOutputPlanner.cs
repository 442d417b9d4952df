namespace Switchyard.Translation.StructuredOutput;

/// <summary>Chooses how to ask an upstream without a JSON-schema mode for a schema.</summary>
public static class StructuredOutputPlanner
{
    /// <summary>
    /// A forced call of a function whose parameters are the schema; strict (DeepSeek's beta) when the schema fits the
    /// strict subset and the provider has <c>/beta</c>. JSON mode with the schema in the prompt when the client declared
    /// tools of its own: forcing one function would keep the model from calling them.
    /// </summary>
    public static StructuredOutputPlan Plan(OutputSchema schema, bool clientTools, bool strictAvailable)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var mode = clientTools ? StructuredOutputMode.JsonMode
            : strictAvailable && StrictSchema.Fits(schema.Schema) ? StructuredOutputMode.StrictTool
            : StructuredOutputMode.ForcedTool;
        return new StructuredOutputPlan(schema, mode);
    }
}
