using System.Net.Http.Headers;
using System.Text.Json;
using Switchyard.Errors;

namespace Switchyard.Providers;

/// <summary>
/// The one HTTP client of an upstream endpoint, for both upstream formats: sends a lane's
/// <see cref="UpstreamRequest"/> with the endpoint's credentials and returns the accepted response (2xx) once its
/// headers arrived. Every failure before that is a <see cref="GatewayException"/> carrying an <see cref="UpstreamFailure"/>.
/// </summary>
public sealed class UpstreamClient
{
    /// <summary>Client headers forwarded as they are to Anthropic-format upstreams.</summary>
    public static IReadOnlyList<string> AnthropicForwardedHeaders { get; } = ["anthropic-version", "anthropic-beta", "anthropic-user-profile-id"];

    /// <summary>Upstream response headers a passthrough client sees as they were.</summary>
    public static IReadOnlyList<string> RelayedResponseHeaders { get; } = ["retry-after", "retry-after-ms", "x-should-retry", "anthropic-organization-id"];

    private const int MaxErrorBody = 64 * 1024;

    private readonly HttpClient _http;
    private readonly ProviderOptions _options;
    private readonly string _baseUrl;

    /// <summary>Creates a client; <paramref name="http"/> is shared and must not have its own timeout.</summary>
    public UpstreamClient(HttpClient http, ProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options;
        _baseUrl = options.BaseUrl.ToString().TrimEnd('/');
    }

    /// <summary>The endpoint's settings (name, URL, key, timeouts, format).</summary>
    public ProviderOptions Options => _options;

    /// <summary>
    /// Sends <paramref name="request"/> and returns the accepted response. Errors before acceptance (unreachable, no
    /// headers within the first-byte timeout, an error status) are thrown, typed, ready for the client.
    /// </summary>
    public async Task<UpstreamResponse> SendAsync(UpstreamRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = new HttpRequestMessage(HttpMethod.Post, _baseUrl + request.Path)
        {
            Content = new ReadOnlyMemoryContent(request.Body),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        ApplyCredentials(message);
        return await SendAsync(message, cancellationToken);
    }

    /// <summary>GETs <paramref name="path"/> (e.g. <c>/user/balance</c>); error statuses are thrown like <see cref="SendAsync(UpstreamRequest, CancellationToken)"/>'s.</summary>
    public async Task<UpstreamResponse> GetAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var message = new HttpRequestMessage(HttpMethod.Get, _baseUrl + path);
        ApplyCredentials(message);
        return await SendAsync(message, cancellationToken);
    }

    private void ApplyCredentials(HttpRequestMessage message)
    {
        if (_options.Kind == ProviderKind.Anthropic)
        {
            if (!message.Headers.Contains("anthropic-version"))
            {
                message.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
            }

            if (!string.IsNullOrEmpty(_options.ApiKey))
            {
                message.Headers.TryAddWithoutValidation("x-api-key", _options.ApiKey);
            }
        }
        else if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        }
    }

    private async Task<UpstreamResponse> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        HttpResponseMessage response;
        try
        {
            using (message)
            {
                response = await UpstreamHttp.SendForHeadersAsync(_http, message, _options, timeout, cancellationToken);
            }
        }
        catch
        {
            timeout.Dispose();
            throw;
        }

        if (response.IsSuccessStatusCode)
        {
            return new UpstreamResponse(response, timeout, _options);
        }

        using (timeout)
        using (response)
        {
            throw await FailureAsync(response, timeout, cancellationToken);
        }
    }

    private async Task<GatewayException> FailureAsync(HttpResponseMessage response, CancellationTokenSource timeout, CancellationToken clientToken)
    {
        var status = (int)response.StatusCode;
        byte[] body;
        try
        {
            timeout.CancelAfter(_options.IdleTimeout);
            body = await ReadBoundedAsync(response, timeout.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or OperationCanceledException && !clientToken.IsCancellationRequested)
        {
            body = [];
        }

        var headers = new List<KeyValuePair<string, string[]>>();
        foreach (var header in response.Headers)
        {
            if (RelayedResponseHeaders.Contains(header.Key, StringComparer.OrdinalIgnoreCase) ||
                header.Key.StartsWith("anthropic-ratelimit-", StringComparison.OrdinalIgnoreCase))
            {
                headers.Add(new(header.Key, [.. header.Value]));
            }
        }

        var credentialsRejected = status is 401 or 403;
        var failure = new UpstreamFailure(_options.Name, FailureOrigin.Response)
        {
            Status = status,
            RetryAfter = UpstreamHttp.RetryAfter(response.Headers),
            // The upstream's answer to Switchyard's own key is not the client's business.
            Body = credentialsRejected ? ReadOnlyMemory<byte>.Empty : body,
            ContentType = credentialsRejected ? null : response.Content.Headers.ContentType?.ToString(),
            Headers = credentialsRejected ? [] : headers,
        };
        if (_options.Kind == ProviderKind.Anthropic && !credentialsRejected && TryParseAnthropicError(body) is { } anthropic)
        {
            // The error type says more than the status (overloaded_error, rate_limit_error…); an unknown type leaves the status to decide.
            return anthropic.Kind != GatewayErrorKind.Api ? ErrorBodies.FromAnthropic(anthropic.Element, failure) : UpstreamErrors.FromResponse(failure);
        }

        return UpstreamErrors.FromResponse(failure);
    }

    private static (GatewayErrorKind Kind, JsonElement Element)? TryParseAnthropicError(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error) &&
                error.ValueKind == JsonValueKind.Object && error.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
            {
                var root = document.RootElement.Clone();
                return (GatewayErrorKindExtensions.FromAnthropicType(type.GetString()), root);
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[Math.Min(MaxErrorBody, (int)(response.Content.Headers.ContentLength ?? 4096) + 1)];
        var length = 0;
        while (length < MaxErrorBody)
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, Math.Min(MaxErrorBody, buffer.Length * 2));
            }

            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return buffer[..length];
    }
}
