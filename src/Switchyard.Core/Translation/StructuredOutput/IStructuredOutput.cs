using Switchyard.OpenAI;

namespace Switchyard.Translation.StructuredOutput;

/// <summary>
/// How a JSON Schema output format is served by an upstream without a JSON-schema mode (DeepSeek has only JSON mode).
/// Lanes call it after translating a request; an implementation may change the request (instructions, JSON mode) and
/// names its method for the <c>x-switchyard-structured-output</c> response header.
/// </summary>
public interface IStructuredOutput
{
    /// <summary>Adapts <paramref name="request"/> so that its answer follows <paramref name="format"/>.</summary>
    StructuredOutputPlan Apply(ChatCompletionRequest request, JsonSchemaFormat format);
}

/// <summary>The adapted request and how the format is served.</summary>
/// <param name="Request">The request to send upstream.</param>
/// <param name="Method">What was done, for the response header (e.g. <c>prompted</c>).</param>
public sealed record StructuredOutputPlan(ChatCompletionRequest Request, string Method);
