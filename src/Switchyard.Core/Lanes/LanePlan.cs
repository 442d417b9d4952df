using Switchyard.Errors;
using Switchyard.Providers;
using Switchyard.Routing;
using Switchyard.Translation;

namespace Switchyard.Lanes;

/// <summary>
/// What a lane's prepare stage made of a request for one target: the upstream request to send (null when the lane
/// answers itself, as count_tokens on a translated lane does) and the decisions taken. Lanes derive their own plan
/// with what their relay needs.
/// </summary>
public class LanePlan
{
    /// <summary>The target it was prepared for.</summary>
    public required ResolvedTarget Target { get; init; }

    /// <summary>The request to send upstream, or null when the lane answers without the upstream.</summary>
    public UpstreamRequest? Upstream { get; init; }

    /// <summary>Thinking the client asked for that this plan turns off, and why.</summary>
    public ThinkingFallback Thinking { get; init; }

    /// <summary>How a requested JSON schema is asked of the upstream, when the client asked for structured output.</summary>
    public Translation.StructuredOutput.StructuredOutputPlan? StructuredOutput { get; init; }

    /// <summary>Assistant turns whose dropped reasoning the reasoning memory put back.</summary>
    public int RestoredReasoning { get; init; }

    /// <summary>
    /// For a JSON answer: a check of the whole body, read while retries are still possible, that turns a 200 into a
    /// retryable failure (DeepSeek's <c>insufficient_system_resource</c>: it ran out of resources and stopped).
    /// </summary>
    public Func<ReadOnlyMemory<byte>, GatewayException?>? CheckBody { get; init; }

    /// <summary>Rewrites a final upstream failure to explain what in the request caused it (null: as it is).</summary>
    public Func<GatewayException, GatewayException?>? ExplainFailure { get; init; }
}
