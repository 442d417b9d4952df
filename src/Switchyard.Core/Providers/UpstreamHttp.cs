namespace Switchyard.Providers;

/// <summary>What every upstream client does the same way: wait for response headers, read <c>retry-after</c>.</summary>
public static class UpstreamHttp
{
    /// <summary>An upstream's <c>retry-after</c> in whole seconds (rounded up), or null; HTTP-dates are not used.</summary>
    public static string? RetryAfterSeconds(System.Net.Http.Headers.HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return headers.RetryAfter?.Delta is { } delta
            ? ((int)Math.Ceiling(delta.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>
    /// Sends <paramref name="message"/> and waits for the response headers within the provider's first-byte timeout
    /// (armed on <paramref name="timeout"/>); a timeout or a connection failure becomes the client's error.
    /// </summary>
    public static async Task<HttpResponseMessage> SendForHeadersAsync(
        HttpClient http, HttpRequestMessage message, ProviderOptions options, CancellationTokenSource timeout, CancellationToken clientToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeout);
        ApplyVersion(message, options);
        timeout.CancelAfter(options.FirstByteTimeout);
        try
        {
            return await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (OperationCanceledException) when (!clientToken.IsCancellationRequested)
        {
            throw UpstreamErrors.Timeout(options.Name, options.FirstByteTimeout, "response headers");
        }
        catch (HttpRequestException exception)
        {
            throw UpstreamErrors.Unreachable(options.Name, exception);
        }
    }

    /// <summary>Sets the request's HTTP version and version policy from <see cref="ProviderOptions.HttpVersion"/>.</summary>
    public static void ApplyVersion(HttpRequestMessage message, ProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        var secure = string.Equals((message.RequestUri ?? options.BaseUrl).Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase);
        (message.Version, message.VersionPolicy) = options.HttpVersion switch
        {
            // ALPN offers h2 and http/1.1; the server picks.
            UpstreamHttpVersion.Auto when secure => (System.Net.HttpVersion.Version20, HttpVersionPolicy.RequestVersionOrLower),
            // Exact 2.0 over http:// is prior knowledge (h2c): the connection starts with the HTTP/2 preface.
            UpstreamHttpVersion.Http2 => (System.Net.HttpVersion.Version20, HttpVersionPolicy.RequestVersionExact),
            _ => (System.Net.HttpVersion.Version11, HttpVersionPolicy.RequestVersionOrLower),
        };
    }
}
