namespace Switchyard.Translation.StructuredOutput;

/// <summary>How a schema is asked of an upstream that has no JSON-schema mode (DeepSeek).</summary>
public enum StructuredOutputMode
{
    /// <summary>
    /// A forced call of one function whose parameters are the schema, with <c>strict:true</c> (DeepSeek's beta strict
    /// function calling, on <c>/beta</c>): the upstream constrains the output to the schema.
    /// </summary>
    StrictTool,

    /// <summary>A forced call of one function whose parameters are the schema (the schema is outside the strict subset).</summary>
    ForcedTool,

    /// <summary>
    /// JSON mode (<c>response_format:{type:"json_object"}</c>) with the schema in a system instruction: used when the
    /// client also declared tools of its own, which a forced call would shut out.
    /// </summary>
    JsonMode,
}
