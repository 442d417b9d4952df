using System.Text.Json;
using Switchyard.Anthropic;
using Switchyard.Dashboard;
using Switchyard.Endpoints;
using Switchyard.Errors;
using Switchyard.Lanes;
using Switchyard.OpenAI;

namespace Switchyard.Hosting;

/// <summary>
/// Errors written outside the gateway middleware (browser safety before it, Kestrel's own rejections without it) as
/// the gateway would write them: with a request id, in the format of the path's caller.
/// </summary>
internal static class EdgeErrors
{
    /// <summary>Writes <paramref name="error"/> as the answer to <paramref name="context"/>.</summary>
    public static Task WriteAsync(HttpContext context, GatewayException error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        context.TraceIdentifier = AnthropicIds.NewRequestId();
        context.Response.Headers["request-id"] = context.TraceIdentifier;
        if (IsDashboardApi(context.Request.Path.Value))
        {
            if (error.RetryAfterHeader is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            return DashboardEndpoints.WriteJsonErrorAsync(context, error.Kind.StatusCode(), error.Message);
        }

        return JsonResponses.WriteErrorAsync(context, error, ClientFormats.Detect(context.Request));
    }

    /// <summary>The JSON body of <paramref name="error"/> for a request to <paramref name="path"/>.</summary>
    public static byte[] Body(string path, bool anthropicVersion, GatewayException error, string requestId)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (IsDashboardApi(path))
        {
            return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["error"] = error.Message }, DashboardJsonContext.Default.DictionaryStringString);
        }

        if (ClientFormats.Detect(path, anthropicVersion) == ClientFormat.OpenAI)
        {
            return ErrorBodies.OpenAIBytes(error);
        }

        return JsonSerializer.SerializeToUtf8Bytes(ErrorBodies.Anthropic(error, requestId), AnthropicJsonContext.Default.ErrorResponse);
    }

    private static bool IsDashboardApi(string? path) => path?.StartsWith("/dashboard/api/", StringComparison.OrdinalIgnoreCase) == true;
}
