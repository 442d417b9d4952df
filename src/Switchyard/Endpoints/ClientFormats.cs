using Switchyard.Lanes;

namespace Switchyard.Endpoints;

/// <summary>Tells the format from the request.</summary>
internal static class ClientFormats
{
    /// <summary>
    /// Chat Completions and Responses paths (<c>/chat/completions</c>, <c>/responses</c>, <c>/beta/…</c>, <c>/user/balance</c>, <c>/models</c>) are
    /// OpenAI. <c>/v1/models</c> is shared: the Anthropic SDKs always send <c>anthropic-version</c>, the OpenAI SDKs
    /// never do. Everything else is Anthropic.
    /// </summary>
    public static ClientFormat Detect(HttpRequest request)
    {
        var path = request.Path.Value ?? string.Empty;
        if (path.StartsWith("/anthropic/", StringComparison.OrdinalIgnoreCase))
        {
            return ClientFormat.Anthropic;
        }

        if (path.EndsWith("/chat/completions", StringComparison.OrdinalIgnoreCase) ||
            path.StartsWith("/beta/", StringComparison.OrdinalIgnoreCase) ||
            path.StartsWith("/user/balance", StringComparison.OrdinalIgnoreCase) ||
            path.StartsWith("/v1/user/balance", StringComparison.OrdinalIgnoreCase) ||
            path.StartsWith("/models", StringComparison.OrdinalIgnoreCase) ||
            path.StartsWith("/completions", StringComparison.OrdinalIgnoreCase) ||
            path.StartsWith("/v1/completions", StringComparison.OrdinalIgnoreCase) ||
            path.StartsWith("/responses", StringComparison.OrdinalIgnoreCase) ||
            path.StartsWith("/v1/responses", StringComparison.OrdinalIgnoreCase))
        {
            return ClientFormat.OpenAI;
        }

        if (path.StartsWith("/v1/models", StringComparison.OrdinalIgnoreCase))
        {
            return request.Headers.ContainsKey("anthropic-version") ? ClientFormat.Anthropic : ClientFormat.OpenAI;
        }

        return ClientFormat.Anthropic;
    }
}
