using System.Net.Http.Headers;

namespace Switchyard.Providers;

/// <summary>What every upstream call does the same way: wait for response headers, read <c>retry-after</c>, set the HTTP version.</summary>
public static class UpstreamHttp
{
    /// <summary>An upstream's <c>retry-after</c> (seconds or an HTTP date), or <c>retry-after-ms</c>; null when absent.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.TryGetValues("retry-after-ms", out var ms) &&
            double.TryParse(ms.FirstOrDefault(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var millis) &&
            millis >= 0)
        {
            return TimeSpan.FromMilliseconds(millis);
        }

        return headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - (time ?? TimeProvider.System).GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => null,
        };
    }

    /// <summary>
    /// Sends <paramref name="message"/> and waits for the response headers within the provider's first-byte timeout
    /// (armed on <paramref name="timeout"/>); a timeout or a connection failure becomes the client's error.
    /// </summary>
    public static async Task<HttpResponseMessage> SendForHeadersAsync(
        HttpClient http, HttpRequestMessage message, ProviderOptions options, CancellationTokenSource timeout, CancellationToken clientToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(message);
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
            throw UpstreamErrors.Timeout(options.Name, options.FirstByteTimeout, "response headers", accepted: false);
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
