using Switchyard.Errors;
using Switchyard.Providers;

namespace Switchyard.Hosting;

/// <summary>
/// A first run without an upstream key: DeepSeek's API answers every request without one with 401, which a client
/// would only see as a 500. Instead, <c>/readyz</c> is not ready, the start-up log says what to set, and a request
/// that would reach the key-less upstream gets an error naming <c>DEEPSEEK_API_KEY</c> without being sent.
/// </summary>
public static class UpstreamKeyCheck
{
    /// <summary>What to do, in one sentence for logs, <c>/readyz</c> and client errors.</summary>
    public const string Advice =
        "Switchyard has no upstream API key: set DEEPSEEK_API_KEY (e.g. `export DEEPSEEK_API_KEY=sk-...` before starting " +
        "switchyard, or Switchyard:Upstream:ApiKey in appsettings.json) and restart.";

    /// <summary>
    /// Whether the default upstream needs a key and has none. Only DeepSeek's own API (a <c>deepseek.com</c> host) is
    /// known to need one: a local OpenAI-format server (vLLM, Ollama…) often takes none.
    /// </summary>
    public static bool IsMissing(SwitchyardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return NeedsKey(options.Upstream) && !HasKey(options.Upstream);
    }

    /// <summary>
    /// Wraps the upstream handler: a request to the key-less DeepSeek upstream fails at once with
    /// <see cref="Advice"/> (500 <c>api_error</c>, not to be retried; a route's next target may still serve).
    /// </summary>
    public static HttpMessageHandler Guard(HttpMessageHandler inner, SwitchyardOptions options)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        return IsMissing(options) ? new GuardHandler(inner, options.Upstream.BaseUrl) : inner;
    }

    private static bool NeedsKey(ProviderOptions provider) =>
        provider.BaseUrl.Host.Equals("deepseek.com", StringComparison.OrdinalIgnoreCase) ||
        provider.BaseUrl.Host.EndsWith(".deepseek.com", StringComparison.OrdinalIgnoreCase);

    private static bool HasKey(ProviderOptions provider) =>
        !string.IsNullOrEmpty(provider.ApiKey) || provider.ApiKeys.Any(k => k.Length > 0) || provider.Endpoints.Any(e => !string.IsNullOrEmpty(e.ApiKey));

    private sealed class GuardHandler(HttpMessageHandler inner, Uri upstream) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { } uri && Uri.Compare(uri, upstream, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0 &&
                request.Headers.Authorization is null)
            {
                throw new GatewayException(GatewayErrorKind.Api, Advice) { ShouldRetry = false };
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
