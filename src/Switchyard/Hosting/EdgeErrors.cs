using Switchyard.Anthropic;
using Switchyard.Dashboard;
using Switchyard.Endpoints;
using Switchyard.Errors;

namespace Switchyard.Hosting;

/// <summary>
/// Writes the errors of middleware that runs before the gateway middleware (browser safety, protocol limits) as the
/// gateway would: with a request id, in the format of the path's caller.
/// </summary>
internal static class EdgeErrors
{
    public static Task WriteAsync(HttpContext context, GatewayException error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        context.TraceIdentifier = AnthropicIds.NewRequestId();
        context.Response.Headers["request-id"] = context.TraceIdentifier;
        if (context.Request.Path.StartsWithSegments("/dashboard/api"))
        {
            AnthropicResponses.ApplyErrorHeaders(context.Response, error);
            return DashboardEndpoints.WriteJsonErrorAsync(context, error.Kind.StatusCode(), error.Message);
        }

        return ClientFormats.Detect(context.Request) == ClientFormat.OpenAI
            ? OpenAIResponses.WriteErrorAsync(context, error)
            : AnthropicResponses.WriteErrorAsync(context, error);
    }
}
