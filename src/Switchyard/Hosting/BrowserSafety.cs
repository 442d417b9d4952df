using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Switchyard.Errors;
using Switchyard.Platform;

namespace Switchyard.Hosting;

/// <summary>
/// Keeps web pages from using Switchyard through a visitor's browser. A page can make the browser send requests to
/// a gateway on the visitor's machine; these checks refuse them, so an operator who opens a hostile page does not have
/// their upstream credit spent or their answers read:
/// <list type="bullet">
/// <item>an <c>Origin</c> other than Switchyard's own and not in <see cref="BrowserSafetyOptions.AllowedOrigins"/> → 403
/// (browsers send it on every cross-origin POST; the SDKs and curl do not send it), unless the browser says the
/// request is same-origin;</item>
/// <item>in open mode, a <c>Host</c> that is not a loopback name or address, the address the request arrived on, or in
/// <see cref="BrowserSafetyOptions.AllowedHosts"/> → 403 (DNS rebinding: a page's own name made to point at 127.0.0.1);</item>
/// <item>a body declared as anything but JSON → 415 (<c>text/plain</c>, form and multipart bodies are what a page can
/// send without a preflight). A body without <c>content-type</c> is read as JSON, for curl users.</item>
/// </list>
/// CORS headers are sent, and preflights answered, only for configured origins.
/// </summary>
internal sealed class BrowserSafety(RequestDelegate next, BrowserSafetyOptions options, PlatformService platform)
{
    private const string ExposedHeaders =
        "request-id, retry-after, x-should-retry, x-switchyard-model, x-switchyard-model-remapped, x-switchyard-thinking, " +
        "x-switchyard-route, x-switchyard-retries, x-switchyard-reasoning-restored";

    private readonly bool _anyOrigin = options.AllowedOrigins.Contains("*");
    private readonly bool _anyHost = options.AllowedHosts.Contains("*");

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!_anyHost && !IsLoopbackOrOwnHost(context) && !options.AllowedHosts.Contains(request.Host.Host, StringComparer.OrdinalIgnoreCase) &&
            await platform.IsOpenModeAsync(context.RequestAborted))
        {
            await EdgeErrors.WriteAsync(context, new GatewayException(GatewayErrorKind.Permission,
                $"Host '{request.Host.Host}' is refused: without client keys (open mode) Switchyard answers only requests addressed to a loopback " +
                "name or address, so that web pages cannot reach it by DNS rebinding. Create a client key, or add the name to " +
                "Switchyard:BrowserSafety:AllowedHosts."));
            return;
        }

        var origin = request.Headers.Origin.ToString();
        var crossOrigin = origin.Length > 0 && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase) &&
                          !SentBySameOrigin(request);
        if (crossOrigin)
        {
            if (!_anyOrigin && !options.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase))
            {
                await EdgeErrors.WriteAsync(context, new GatewayException(GatewayErrorKind.Permission,
                    $"Origin '{origin}' is refused: Switchyard does not serve web pages of other origins unless they are listed in " +
                    "Switchyard:BrowserSafety:AllowedOrigins."));
                return;
            }

            var headers = context.Response.Headers;
            headers.AccessControlAllowOrigin = origin;
            headers.Append(HeaderNames.Vary, HeaderNames.Origin);
            if (HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod))
            {
                headers.AccessControlAllowMethods = "GET, POST, DELETE, OPTIONS";
                headers.AccessControlAllowHeaders = request.Headers.AccessControlRequestHeaders.ToString() is { Length: > 0 } asked ? asked : "content-type";
                headers.AccessControlMaxAge = "600";
                headers.Append(HeaderNames.Vary, "Access-Control-Request-Method, Access-Control-Request-Headers");
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }

            headers.AccessControlExposeHeaders = ExposedHeaders;
        }

        if (HasBody(context) && !request.Path.StartsWithSegments("/dashboard") && NotJson(request.ContentType) is { } declared)
        {
            await EdgeErrors.WriteAsync(context, new GatewayException(GatewayErrorKind.UnsupportedMediaType,
                $"The body is declared as '{declared}'; Switchyard reads JSON only: send it with the header 'content-type: application/json'.",
                "content-type"));
            return;
        }

        await next(context);
    }

    /// <summary>Loopback names and addresses, and the address the connection arrived on (a literal address cannot be rebound).</summary>
    private static bool IsLoopbackOrOwnHost(HttpContext context)
    {
        var host = context.Request.Host.Host;
        if (host.Length == 0 || host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
            host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) &&
               (IPAddress.IsLoopback(address) || address.Equals(context.Connection.LocalIpAddress) ||
                (context.Connection.LocalIpAddress is { IsIPv4MappedToIPv6: true } local && address.Equals(local.MapToIPv4())));
    }

    /// <summary>
    /// The browser's own word (<c>Sec-Fetch-Site</c>, which pages cannot set) that the request comes from the same
    /// origin: a form on a page with <c>Referrer-Policy: no-referrer</c>, such as the dashboard's sign-in, is posted with
    /// <c>Origin: null</c>.
    /// </summary>
    private static bool SentBySameOrigin(HttpRequest request) =>
        request.Headers["Sec-Fetch-Site"].ToString() is "same-origin" or "none";

    private static bool HasBody(HttpContext context) =>
        context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? context.Request.ContentLength > 0;

    /// <summary>The declared media type when it is not JSON in UTF-8; null for JSON or no declaration.</summary>
    private static string? NotJson(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            return contentType;
        }

        var json = parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
                   (parsed.MediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) &&
                    parsed.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        var utf8 = parsed.Charset.Length == 0 || parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) ||
                   parsed.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
        return json && utf8 ? null : contentType;
    }
}
