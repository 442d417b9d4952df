using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Switchyard.Tests.Fakes;

/// <summary>One request as received by <see cref="FakeAnthropic"/>: the raw bytes, exactly as they arrived.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path, e.g. <c>/v1/messages</c>.</param>
/// <param name="Query">Raw query string including the leading '?', or empty.</param>
/// <param name="Headers">Request headers (case-insensitive keys; multiple values joined with ", ").</param>
/// <param name="Body">Raw request body bytes.</param>
public sealed record AnthropicRecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The body parsed as JSON, or null.</summary>
    public JsonNode? Json
    {
        get
        {
            try
            {
                return Body.Length == 0 ? null : JsonNode.Parse(Body);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>Header value or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}

/// <summary>
/// A scripted answer of <see cref="FakeAnthropic"/>: a status, headers and a body written as the given byte
/// sequences (each one written and flushed on its own, so a stream arrives in pieces).
/// </summary>
public sealed record FakeAnthropicReply
{
    /// <summary>HTTP status.</summary>
    public int Status { get; init; } = 200;

    /// <summary>Content type of the body.</summary>
    public string ContentType { get; init; } = "application/json";

    /// <summary>Extra response headers (e.g. <c>retry-after</c>, <c>anthropic-ratelimit-requests-limit</c>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The body, as written: each piece is flushed before the next.</summary>
    public IReadOnlyList<byte[]> Pieces { get; init; } = [];

    /// <summary>Delay between pieces.</summary>
    public TimeSpan PieceDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>When set, the connection is aborted after this many pieces (a cut upstream).</summary>
    public int? CutAfterPieces { get; init; }

    /// <summary>All bytes of the body.</summary>
    public byte[] Bytes => [.. Pieces.SelectMany(p => p)];

    /// <summary>A JSON body, sent verbatim.</summary>
    public static FakeAnthropicReply Json(string json, int status = 200, IReadOnlyDictionary<string, string>? headers = null) => new()
    {
        Status = status,
        Pieces = [Encoding.UTF8.GetBytes(json)],
        Headers = headers ?? new Dictionary<string, string>(),
    };

    /// <summary>An SSE stream of <c>event: name\ndata: json\n\n</c> frames (one piece per frame).</summary>
    public static FakeAnthropicReply Sse(IEnumerable<(string Event, string Data)> events, IReadOnlyDictionary<string, string>? headers = null) => new()
    {
        ContentType = "text/event-stream; charset=utf-8",
        Pieces = [.. events.Select(e => Encoding.UTF8.GetBytes($"event: {e.Event}\ndata: {e.Data}\n\n"))],
        Headers = headers ?? new Dictionary<string, string>(),
    };

    /// <summary>An SSE stream written as the given raw pieces.</summary>
    public static FakeAnthropicReply RawSse(params string[] pieces) => new()
    {
        ContentType = "text/event-stream; charset=utf-8",
        Pieces = [.. pieces.Select(Encoding.UTF8.GetBytes)],
    };

    /// <summary>An Anthropic error envelope.</summary>
    public static FakeAnthropicReply Error(int status, string type, string message, IReadOnlyDictionary<string, string>? headers = null) =>
        Json(new JsonObject
        {
            ["type"] = "error",
            ["error"] = new JsonObject { ["type"] = type, ["message"] = message },
            ["request_id"] = "req_fake_" + status.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }.ToJsonString(), status, headers);
}

/// <summary>
/// A real Kestrel server on http://127.0.0.1:&lt;random port&gt; imitating the Anthropic Messages API
/// (Anthropic's Messages API documentation): POST /v1/messages and /v1/messages/count_tokens, both
/// requiring <c>x-api-key: {ApiKey}</c> (else 401 <c>authentication_error</c>). Every request is recorded byte for byte
/// before authentication. Replies are consumed FIFO; when none is queued a short text message is answered.
/// </summary>
public sealed class FakeAnthropic : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<AnthropicRecordedRequest> _requests = [];
    private readonly Queue<Func<AnthropicRecordedRequest, FakeAnthropicReply>> _replies = new();
    private readonly List<FakeAnthropicReply> _sent = [];
    private int _cancelled;

    private FakeAnthropic(WebApplication app, string apiKey)
    {
        _app = app;
        ApiKey = apiKey;
        BaseUrl = new Uri("http://127.0.0.1/");
    }

    /// <summary>Root URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; private set; }

    /// <summary>The only key accepted (as <c>x-api-key</c>).</summary>
    public string ApiKey { get; }

    /// <summary>All requests, in arrival order.</summary>
    public IReadOnlyList<AnthropicRecordedRequest> Requests
    {
        get { lock (_gate) return _requests.ToArray(); }
    }

    /// <summary>The most recent request.</summary>
    public AnthropicRecordedRequest LastRequest
    {
        get
        {
            lock (_gate)
                return _requests.Count > 0 ? _requests[^1] : throw new InvalidOperationException("FakeAnthropic has not received any request.");
        }
    }

    /// <summary>Requests whose client went away before the fake finished replying.</summary>
    public int CancelledRequests => Volatile.Read(ref _cancelled);

    /// <summary>The replies actually sent, in order.</summary>
    public IReadOnlyList<FakeAnthropicReply> Sent
    {
        get { lock (_gate) return _sent.ToArray(); }
    }

    /// <summary>Forgets queued replies not consumed yet.</summary>
    public void ClearReplies()
    {
        lock (_gate) _replies.Clear();
    }

    /// <summary>Queues a reply for the next authenticated request.</summary>
    public void Enqueue(FakeAnthropicReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        Enqueue(_ => reply);
    }

    /// <summary>Queues a reply computed from the request.</summary>
    public void Enqueue(Func<AnthropicRecordedRequest, FakeAnthropicReply> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        lock (_gate) _replies.Enqueue(factory);
    }

    /// <summary>Starts a fake on a random loopback port.</summary>
    public static async Task<FakeAnthropic> StartAsync(string apiKey = "sk-ant-upstream")
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o =>
        {
            o.AddServerHeader = false;
            o.Listen(IPAddress.Loopback, 0);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var fake = new FakeAnthropic(app, apiKey);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return fake;
    }

    /// <summary>Settings that add this fake as provider <c>anthropic</c> serving <c>claude-sonnet-4-5</c> (and, with
    /// <paramref name="upstreamIdModel"/>, a model <c>claude-renamed</c> whose UpstreamId is that value), next to the V4 models.</summary>
    public Dictionary<string, string?> GatewaySettings(string? upstreamIdModel = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Switchyard:Providers:0:Name"] = "anthropic",
            ["Switchyard:Providers:0:Kind"] = "Anthropic",
            ["Switchyard:Providers:0:BaseUrl"] = BaseUrl.ToString(),
            ["Switchyard:Providers:0:ApiKey"] = ApiKey,
            ["Switchyard:Models:Catalog:0:Id"] = "claude-sonnet-4-5",
            ["Switchyard:Models:Catalog:0:Provider"] = "anthropic",
            ["Switchyard:Models:Catalog:1:Id"] = "deepseek-v4-flash",
            ["Switchyard:Models:Catalog:2:Id"] = "deepseek-v4-pro",
        };
        if (upstreamIdModel is not null)
        {
            settings["Switchyard:Models:Catalog:3:Id"] = "claude-renamed";
            settings["Switchyard:Models:Catalog:3:Provider"] = "anthropic";
            settings["Switchyard:Models:Catalog:3:UpstreamId"] = upstreamIdModel;
        }

        return settings;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
            body = buffer.ToArray();
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in ctx.Request.Headers) headers[k] = v.ToString();
        var request = new AnthropicRecordedRequest(ctx.Request.Method, ctx.Request.Path.Value ?? "/", ctx.Request.QueryString.Value ?? "", headers, body);
        lock (_gate) _requests.Add(request);

        FakeAnthropicReply reply;
        if (request.Header("x-api-key") != ApiKey)
        {
            reply = FakeAnthropicReply.Error(401, "authentication_error", "invalid x-api-key");
        }
        else if (request.Method != "POST" || request.Path is not ("/v1/messages" or "/v1/messages/count_tokens"))
        {
            reply = FakeAnthropicReply.Error(404, "not_found_error", $"Not found: {request.Method} {request.Path}");
        }
        else if (request.Json is not JsonObject json)
        {
            reply = FakeAnthropicReply.Error(400, "invalid_request_error", "Request body is not valid JSON.");
        }
        else
        {
            Func<AnthropicRecordedRequest, FakeAnthropicReply>? factory;
            lock (_gate) _replies.TryDequeue(out factory);
            reply = factory?.Invoke(request) ?? DefaultReply(request.Path, json);
        }

        lock (_gate) _sent.Add(reply);
        var res = ctx.Response;
        res.StatusCode = reply.Status;
        res.ContentType = reply.ContentType;
        res.Headers["request-id"] = "req_fake_upstream";
        foreach (var (k, v) in reply.Headers) res.Headers[k] = v;
        try
        {
            for (var i = 0; i < reply.Pieces.Count; i++)
            {
                if (reply.CutAfterPieces == i)
                {
                    // Let the flushed pieces reach the wire before the reset.
                    await Task.Delay(100, ctx.RequestAborted);
                    ctx.Abort();
                    return;
                }

                if (i > 0 && reply.PieceDelay > TimeSpan.Zero) await Task.Delay(reply.PieceDelay, ctx.RequestAborted);
                await res.Body.WriteAsync(reply.Pieces[i], ctx.RequestAborted);
                await res.Body.FlushAsync(ctx.RequestAborted);
            }
        }
        catch (Exception) when (ctx.RequestAborted.IsCancellationRequested)
        {
            Interlocked.Increment(ref _cancelled);
        }
    }

    private static FakeAnthropicReply DefaultReply(string path, JsonObject request)
    {
        if (path == "/v1/messages/count_tokens")
        {
            return FakeAnthropicReply.Json("""{"input_tokens":42}""");
        }

        var model = request["model"]?.GetValue<string>() ?? "claude";
        var text = "Hello from fake Anthropic.";
        if (request["stream"]?.GetValueKind() == JsonValueKind.True)
        {
            return FakeAnthropicReply.Sse(AnthropicScripts.TextStream(model, text));
        }

        return FakeAnthropicReply.Json(AnthropicScripts.Message(model, $$"""[{"type":"text","text":"{{text}}"}]""", "end_turn"));
    }
}

/// <summary>Builders of Anthropic message bodies and event sequences for <see cref="FakeAnthropic"/>.</summary>
public static class AnthropicScripts
{
    /// <summary>A non-streaming Message with the given content JSON array.</summary>
    public static string Message(string model, string contentJson, string stopReason, int input = 21, int output = 9, int cacheRead = 0, int cacheCreation = 0) =>
        "{\"id\":\"msg_fake01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model + "\",\"content\":" + contentJson +
        ",\"stop_reason\":\"" + stopReason + "\",\"stop_sequence\":null,\"usage\":" + Usage(input, output, cacheRead, cacheCreation) + "}";

    private static string Usage(int input, int output, int cacheRead, int cacheCreation) =>
        "{\"input_tokens\":" + N(input) + ",\"cache_creation_input_tokens\":" + N(cacheCreation) + ",\"cache_read_input_tokens\":" + N(cacheRead) +
        ",\"output_tokens\":" + N(output) + ",\"service_tier\":\"standard\"}";

    private static string N(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><c>message_start</c> data.</summary>
    public static string MessageStart(string model, int input = 21, int cacheRead = 0, int cacheCreation = 0) =>
        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_fake01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model +
        "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":" + Usage(input, 1, cacheRead, cacheCreation) + "}}";

    /// <summary>A text-only stream (ping after the first block start).</summary>
    public static List<(string, string)> TextStream(string model, string text, int input = 21, int output = 9, int cacheRead = 0)
    {
        var half = text.Length / 2;
        return
        [
            ("message_start", MessageStart(model, input, cacheRead)),
            ("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
            ("ping", """{"type": "ping"}"""),
            ("content_block_delta", Delta(0, "text_delta", "text", text[..half])),
            ("content_block_delta", Delta(0, "text_delta", "text", text[half..])),
            ("content_block_stop", """{"type":"content_block_stop","index":0}"""),
            ("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":""" + N(input) + ""","cache_read_input_tokens":""" + N(cacheRead) + ""","output_tokens":""" + N(output) + "}}"),
            ("message_stop", """{"type":"message_stop"}"""),
        ];
    }

    /// <summary>A stream with a signed thinking block followed by tool_use blocks (ids, names, input JSON).</summary>
    public static List<(string, string)> ThinkingToolStream(string model, string thinking, string signature, params (string Id, string Name, string InputJson)[] tools)
    {
        var events = new List<(string, string)>
        {
            ("message_start", MessageStart(model, 40)),
            ("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}"""),
            ("ping", """{"type": "ping"}"""),
            ("content_block_delta", Delta(0, "thinking_delta", "thinking", thinking)),
            ("content_block_delta", Delta(0, "signature_delta", "signature", signature)),
            ("content_block_stop", """{"type":"content_block_stop","index":0}"""),
        };
        for (var i = 0; i < tools.Length; i++)
        {
            var index = i + 1;
            var (id, name, input) = tools[i];
            events.Add(("content_block_start", new JsonObject
            {
                ["type"] = "content_block_start",
                ["index"] = index,
                ["content_block"] = new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = new JsonObject() },
            }.ToJsonString()));
            var cut = input.Length / 2;
            events.Add(("content_block_delta", Delta(index, "input_json_delta", "partial_json", input[..cut])));
            events.Add(("content_block_delta", Delta(index, "input_json_delta", "partial_json", input[cut..])));
            events.Add(("content_block_stop", """{"type":"content_block_stop","index":""" + N(index) + "}"));
        }

        events.Add(("message_delta", """{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":33}}"""));
        events.Add(("message_stop", """{"type":"message_stop"}"""));
        return events;
    }

    /// <summary>A <c>content_block_delta</c> data line.</summary>
    public static string Delta(int index, string type, string field, string value) => new JsonObject
    {
        ["type"] = "content_block_delta",
        ["index"] = index,
        ["delta"] = new JsonObject { ["type"] = type, [field] = value },
    }.ToJsonString();
}
