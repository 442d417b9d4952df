using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Switchyard.Errors;
using Switchyard.OpenAI;

namespace Switchyard.Providers;

/// <summary>
/// Calls an OpenAI-format Chat Completions upstream (DeepSeek, vLLM, SGLang, Ollama, llama.cpp). Errors come
/// back as <see cref="GatewayException"/>s that are ready for the client.
/// </summary>
public sealed class ChatCompletionsClient
{
    private readonly HttpClient _http;
    private readonly ProviderOptions _options;
    private readonly string _baseUrl;
    private readonly Uri _chatUrl;
    private readonly Uri _betaChatUrl;

    /// <summary>Creates a client; <paramref name="http"/> is shared and must not have its own timeout.</summary>
    public ChatCompletionsClient(HttpClient http, ProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options;
        _baseUrl = options.BaseUrl.ToString().TrimEnd('/');
        _chatUrl = new Uri(_baseUrl + "/chat/completions");
        _betaChatUrl = new Uri(_baseUrl + "/beta/chat/completions");
    }

    /// <summary>The provider's options.</summary>
    public ProviderOptions Options => _options;

    /// <summary>Sends a non-streaming request and reads the whole completion.</summary>
    public async Task<ChatCompletion> CompleteAsync(ChatCompletionRequest request, bool beta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var response = await SendAsync(request with { Stream = null, StreamOptions = null }, beta, timeout, cancellationToken);
        timeout.CancelAfter(_options.IdleTimeout);
        try
        {
            // The whole completion is needed before anything can be answered, so read it first and parse it in one
            // pass: the resumable reader of DeserializeAsync costs more than the body is long. DeepSeek writes blank
            // keep-alive lines before the JSON while a request is queued: JSON whitespace.
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            var completion = body.AsSpan().Trim(" \t\r\n"u8).IsEmpty ? null : JsonSerializer.Deserialize(body, OpenAIJsonContext.Default.ChatCompletion);
            return completion ?? throw new GatewayException(GatewayErrorKind.Api, $"Upstream '{_options.Name}' returned an empty body.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw UpstreamErrors.Timeout(_options.Name, _options.IdleTimeout, "the response body");
        }
        catch (JsonException exception)
        {
            throw new GatewayException(GatewayErrorKind.Api, $"Upstream '{_options.Name}' returned malformed JSON.", exception);
        }
        catch (HttpRequestException exception)
        {
            throw UpstreamErrors.Unreachable(_options.Name, exception);
        }
    }

    /// <summary>
    /// Starts a streaming request. Returns once the upstream accepted it (status 2xx); errors before that are
    /// thrown. Chunks are then read from the returned stream.
    /// </summary>
    public async Task<UpstreamChunkStream> StreamAsync(ChatCompletionRequest request, bool beta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var response = await SendAsync(
                request with { Stream = true, StreamOptions = new ChatStreamOptions(true) }, beta, timeout, cancellationToken);
            return new UpstreamChunkStream(response, timeout, _options);
        }
        catch
        {
            timeout.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends a raw JSON body to <paramref name="path"/> (e.g. <c>/chat/completions</c>, <c>/beta/completions</c>)
    /// and returns the accepted response with its headers read; upstream errors are thrown.
    /// </summary>
    public async Task<HttpResponseMessage> SendRawAsync(string path, string body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(body);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        return await SendAsync(new Uri(_baseUrl + path), HttpMethod.Post, content, timeout, cancellationToken);
    }

    /// <summary>GETs <paramref name="path"/> (e.g. <c>/user/balance</c>) from the upstream.</summary>
    public async Task<HttpResponseMessage> GetAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        return await SendAsync(new Uri(_baseUrl + path), HttpMethod.Get, null, timeout, cancellationToken);
    }

    private Task<HttpResponseMessage> SendAsync(
        ChatCompletionRequest request, bool beta, CancellationTokenSource timeout, CancellationToken clientToken)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, OpenAIJsonContext.Default.ChatCompletionRequest));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return SendAsync(beta ? _betaChatUrl : _chatUrl, HttpMethod.Post, content, timeout, clientToken);
    }

    private async Task<HttpResponseMessage> SendAsync(
        Uri url, HttpMethod method, HttpContent? content, CancellationTokenSource timeout, CancellationToken clientToken)
    {
        using var message = new HttpRequestMessage(method, url) { Content = content };
        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        }

        var response = await UpstreamHttp.SendForHeadersAsync(_http, message, _options, timeout, clientToken);

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            string body;
            try
            {
                body = await response.Content.ReadAsStringAsync(timeout.Token);
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException && !clientToken.IsCancellationRequested)
            {
                body = string.Empty;
            }

            throw UpstreamErrors.FromResponse(_options.Name, response.StatusCode, body, UpstreamHttp.RetryAfterSeconds(response.Headers));
        }
    }
}

/// <summary>The chunks of an accepted upstream stream; disposing it aborts the upstream request.</summary>
public sealed class UpstreamChunkStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _timeout;
    private readonly ProviderOptions _options;
    private readonly List<IDisposable> _attached = [];

    internal UpstreamChunkStream(HttpResponseMessage response, CancellationTokenSource timeout, ProviderOptions options)
    {
        _response = response;
        _timeout = timeout;
        _options = options;
    }

    /// <summary>
    /// Reads chunks until <c>[DONE]</c> or the end of the body. Comments (keep-alives) are skipped but reset the
    /// idle timer. Throws <see cref="GatewayException"/> on a malformed chunk, a cut connection or an idle timeout.
    /// </summary>
    public async IAsyncEnumerable<ChatCompletionChunk> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var token = _timeout.Token;
        _timeout.CancelAfter(_options.IdleTimeout);
        Stream body;
        try
        {
            body = await _response.Content.ReadAsStreamAsync(token);
        }
        catch (HttpRequestException exception)
        {
            throw UpstreamErrors.Unreachable(_options.Name, exception);
        }

        await using var activity = new ObservedReadStream(body, (_, _) => _timeout.CancelAfter(_options.IdleTimeout));
        var parser = SseParser.Create(activity, static (_, data) =>
            data.SequenceEqual("[DONE]"u8) ? null : JsonSerializer.Deserialize(data, OpenAIJsonContext.Default.ChatCompletionChunk));
        await using var items = parser.EnumerateAsync(token).GetAsyncEnumerator(token);
        while (true)
        {
            bool more;
            try
            {
                more = await items.MoveNextAsync();
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw UpstreamErrors.Timeout(_options.Name, _options.IdleTimeout, "a stream chunk");
            }
            catch (JsonException exception)
            {
                throw new GatewayException(GatewayErrorKind.Api, $"Upstream '{_options.Name}' sent a malformed stream chunk.", exception);
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException)
            {
                throw new GatewayException(GatewayErrorKind.Api, $"Upstream '{_options.Name}' cut the stream: {exception.Message}", exception);
            }

            if (!more || items.Current.Data is not { } chunk)
            {
                yield break;
            }

            yield return chunk;
        }
    }

    /// <summary>The upstream's settings (name, timeouts).</summary>
    public ProviderOptions Options => _options;

    /// <summary>Disposes <paramref name="resource"/> (e.g. an endpoint lease) together with the stream.</summary>
    public void Attach(IDisposable resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        _attached.Add(resource);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _response.Dispose();
        _timeout.Dispose();
        foreach (var resource in _attached)
        {
            resource.Dispose();
        }

        _attached.Clear();
        return ValueTask.CompletedTask;
    }
}
