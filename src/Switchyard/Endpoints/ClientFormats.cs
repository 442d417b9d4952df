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
    public static ClientFormat Detect(HttpRequest request) =>
        Detect(request.Path.Value ?? string.Empty, request.Headers.ContainsKey("anthropic-version"));

    /// <summary>The format for <paramref name="path"/>; <paramref name="anthropicVersion"/>: the request carries <c>anthropic-version</c>.</summary>
    public static ClientFormat Detect(string path, bool anthropicVersion)
    {
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
            return anthropicVersion ? ClientFormat.Anthropic : ClientFormat.OpenAI;
        }

        return ClientFormat.Anthropic;
    }
}
