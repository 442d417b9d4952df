using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Switchyard.Tests.Fakes;

/// <summary>
/// A real Kestrel server on http://127.0.0.1:&lt;random port&gt; imitating DeepSeek's OpenAI-format API
/// (DeepSeek's API documentation). Endpoints:
/// POST /chat/completions, /v1/chat/completions, /beta/chat/completions; POST /beta/completions (FIM);
/// GET /models, /v1/models; GET /user/balance, /v1/user/balance. Everything requires <c>Authorization: Bearer {ApiKey}</c>.
/// </summary>
public sealed partial class FakeDeepSeek : IAsyncDisposable
{
    private static readonly JsonSerializerOptions JsonOut = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _disposeCts = new();
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Queue<Func<JsonNode, FakeReply>> _replies = new();
    private int _active;
    private int _cancelled;
    private int _disposed;

    private FakeDeepSeek(WebApplication app, string apiKey)
    {
        _app = app;
        ApiKey = apiKey;
        BaseUrl = new Uri("http://127.0.0.1/");
    }

    /// <summary>Root URL, e.g. <c>http://127.0.0.1:41234/</c> (append chat/completions, beta/..., models, user/balance).</summary>
    public Uri BaseUrl { get; private set; }

    /// <summary>The only API key accepted (as <c>Authorization: Bearer …</c>).</summary>
    public string ApiKey { get; }

    /// <summary>Snapshot of all received requests in arrival order (recorded before auth and validation).</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_gate) return _requests.ToArray(); }
    }

    /// <summary>The most recent request. Throws if none has arrived.</summary>
    public RecordedRequest LastRequest
    {
        get
        {
            lock (_gate)
                return _requests.Count > 0 ? _requests[^1] : throw new InvalidOperationException("FakeDeepSeek has not received any request.");
        }
    }

    /// <summary>Requests currently being served.</summary>
    public int ActiveRequests => Volatile.Read(ref _active);

    /// <summary>Requests whose client went away before the fake finished replying.</summary>
    public int CancelledRequests => Volatile.Read(ref _cancelled);

    /// <summary>Scripted replies not consumed yet.</summary>
    public int PendingReplies
    {
        get { lock (_gate) return _replies.Count; }
    }

    /// <summary>
    /// Reports prefix-cache hits as DeepSeek does, isolated per <c>user_id</c>: the tokens of the longest prefix (tools,
    /// then messages) this request shares with an earlier one of the same user id, in whole 64-token units.
    /// </summary>
    public bool SimulatePrefixCache { get; set; }

    /// <summary>Optional factory used when the queue is empty (instead of the built-in default reply).</summary>
    public Func<JsonNode, FakeReply>? DefaultReply { get; set; }

    /// <summary>Queue a scripted reply for the next valid POST chat completion (or FIM) request.</summary>
    public void Enqueue(FakeReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        Enqueue(_ => reply);
    }

    /// <summary>Queue a reply computed from the (validated) request JSON.</summary>
    public void Enqueue(Func<JsonNode, FakeReply> replyFactory)
    {
        ArgumentNullException.ThrowIfNull(replyFactory);
        lock (_gate) _replies.Enqueue(replyFactory);
    }

    /// <summary>Forget recorded requests.</summary>
    public void ClearRequests()
    {
        lock (_gate) _requests.Clear();
    }

    private readonly Dictionary<string, List<string>> _cachedPrompts = [];

    private int PrefixCacheHit(JsonNode request)
    {
        var user = request["user_id"]?.GetValue<string>() ?? string.Empty;
        var prompt = (request["tools"]?.ToJsonString() ?? string.Empty) + (request["messages"]?.ToJsonString() ?? string.Empty);
        lock (_gate)
        {
            if (!_cachedPrompts.TryGetValue(user, out var earlier))
            {
                _cachedPrompts[user] = earlier = [];
            }

            var common = earlier.Count == 0 ? 0 : earlier.Max(e => prompt.AsSpan().CommonPrefixLength(e));
            earlier.Add(prompt);
            return Tokens(common) / 64 * 64;
        }
    }

    /// <summary>Forget scripted replies not consumed yet.</summary>
    public void ClearReplies()
    {
        lock (_gate) _replies.Clear();
    }

    /// <summary>Start a fake on a random loopback port; <paramref name="protocols"/> <c>Http2</c> means h2c with prior knowledge only.</summary>
    public static async Task<FakeDeepSeek> StartAsync(string apiKey = "sk-fake-upstream", HttpProtocols protocols = HttpProtocols.Http1)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o =>
        {
            o.AddServerHeader = false;
            o.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = protocols);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var fake = new FakeDeepSeek(app, apiKey);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return fake;
    }

    /// <summary>Stops the server (in-flight replies are cancelled).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _disposeCts.CancelAsync();
        try
        {
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
            _disposeCts.Dispose();
        }
    }

    /// <summary>Per-request state.</summary>
    private sealed class Call(HttpContext http, CancellationToken ct)
    {
        public HttpContext Http { get; } = http;
        public CancellationToken Ct { get; } = ct;
        public bool SelfAborted { get; set; }
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        Interlocked.Increment(ref _active);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _disposeCts.Token);
        var call = new Call(ctx, linked.Token);
        var completed = false;
        try
        {
            string body;
            using (var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8))
                body = await reader.ReadToEndAsync(call.Ct);
            Record(ctx, body);
            await DispatchAsync(call, body);
            completed = true;
        }
        catch (Exception) when (linked.IsCancellationRequested || call.SelfAborted)
        {
            // client went away, server disposing, or we cut the connection on purpose
        }
        finally
        {
            if (!completed && !call.SelfAborted && ctx.RequestAborted.IsCancellationRequested)
                Interlocked.Increment(ref _cancelled);
            Interlocked.Decrement(ref _active);
        }
    }

    private void Record(HttpContext ctx, string body)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in ctx.Request.Headers) headers[k] = v.ToString();
        var rec = new RecordedRequest(ctx.Request.Method, ctx.Request.Path.Value ?? "/", ctx.Request.QueryString.Value ?? "", headers, body)
        {
            Protocol = ctx.Request.Protocol,
        };
        lock (_gate) _requests.Add(rec);
    }

    private async Task DispatchAsync(Call call, string body)
    {
        var ctx = call.Http;
        var auth = ctx.Request.Headers.Authorization.ToString();
        var key = auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? auth["Bearer ".Length..].Trim() : auth;
        if (!auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || key != ApiKey)
        {
            var tail = key.Length > 4 ? key[^4..] : key;
            await WriteErrorAsync(call, 401, $"Authentication Fails, Your api key: ****{tail} is invalid", "authentication_error");
            return;
        }

        var path = ctx.Request.Path.Value ?? "/";
        var method = ctx.Request.Method;
        (string Method, Func<Task> Handler)? route = path switch
        {
            "/chat/completions" or "/v1/chat/completions" => ("POST", () => ChatAsync(call, body, beta: false)),
            "/beta/chat/completions" => ("POST", () => ChatAsync(call, body, beta: true)),
            "/beta/completions" => ("POST", () => FimAsync(call, body)),
            "/models" or "/v1/models" => ("GET", () => WriteJsonAsync(call, 200, ModelsJson())),
            "/user/balance" or "/v1/user/balance" => ("GET", () => WriteJsonAsync(call, 200, BalanceJson())),
            _ => null,
        };
        if (route is not { } r)
        {
            await WriteErrorAsync(call, 404, $"Not Found: {method} {path}", "invalid_request_error");
            return;
        }
        if (!string.Equals(method, r.Method, StringComparison.OrdinalIgnoreCase))
        {
            await WriteErrorAsync(call, 405, $"Method Not Allowed: {method} {path}", "invalid_request_error");
            return;
        }
        await r.Handler();
    }

    private static JsonObject ModelsJson() => new()
    {
        ["object"] = "list",
        ["data"] = new JsonArray(
            new JsonObject { ["id"] = "deepseek-v4-flash", ["object"] = "model", ["owned_by"] = "deepseek" },
            new JsonObject { ["id"] = "deepseek-v4-pro", ["object"] = "model", ["owned_by"] = "deepseek" }),
    };

    private static JsonObject BalanceJson() => new()
    {
        ["is_available"] = true,
        ["balance_infos"] = new JsonArray(new JsonObject
        {
            ["currency"] = "USD",
            ["total_balance"] = "110.00",
            ["granted_balance"] = "10.00",
            ["topped_up_balance"] = "100.00",
        }),
    };

    private FakeReply NextReply(JsonNode request)
    {
        Func<JsonNode, FakeReply>? factory;
        lock (_gate) _replies.TryDequeue(out factory);
        factory ??= DefaultReply;
        return factory?.Invoke(request) ?? new FakeReply();
    }

    // ---------- writing helpers ----------

    internal static string ErrorJson(string message, string type) => new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["message"] = message,
            ["type"] = type,
            ["param"] = null,
            ["code"] = "invalid_request_error",
        },
    }.ToJsonString(JsonOut);

    private static (string Message, string Type) DefaultError(int status) => status switch
    {
        400 => ("Invalid request", "invalid_request_error"),
        401 => ("Authentication Fails, Your api key: ****fake is invalid", "authentication_error"),
        402 => ("Insufficient Balance", "unknown_error"),
        422 => ("Invalid parameters", "invalid_request_error"),
        429 => ("Rate Limit Reached", "rate_limit_error"),
        500 => ("Internal Server Error", "server_error"),
        503 => ("Server overloaded", "server_overloaded"),
        _ => ("Error", "unknown_error"),
    };

    private static Task WriteErrorAsync(Call call, int status, string message, string type) =>
        WriteRawAsync(call, status, "application/json", ErrorJson(message, type));

    private static Task WriteJsonAsync(Call call, int status, JsonNode body) =>
        WriteRawAsync(call, status, "application/json", body.ToJsonString(JsonOut));

    private static async Task WriteRawAsync(Call call, int status, string contentType, string body)
    {
        var res = call.Http.Response;
        res.StatusCode = status;
        res.ContentType = contentType;
        await res.WriteAsync(body, call.Ct);
    }

    private static void ApplyHeaders(HttpResponse res, FakeReply reply)
    {
        foreach (var (k, v) in reply.Headers) res.Headers[k] = v;
    }

    private static async Task WriteScriptedErrorAsync(Call call, FakeReply reply, int status)
    {
        var res = call.Http.Response;
        res.StatusCode = status;
        res.ContentType = "application/json";
        ApplyHeaders(res, reply);
        var (msg, type) = DefaultError(status);
        await res.WriteAsync(reply.ErrorBody ?? ErrorJson(msg, type), call.Ct);
    }

    private static async Task WriteFlushAsync(Call call, string text)
    {
        call.Ct.ThrowIfCancellationRequested();
        await call.Http.Response.WriteAsync(text, call.Ct);
        await call.Http.Response.Body.FlushAsync(call.Ct);
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        if (delay > TimeSpan.Zero) await Task.Delay(delay, ct);
    }

    private static async Task AbortAsync(Call call)
    {
        await call.Http.Response.Body.FlushAsync(call.Ct);
        // Give the transport time to put the flushed bytes on the wire; an immediate abort can discard them.
        await Task.Delay(100, call.Ct);
        call.SelfAborted = true;
        call.Http.Abort();
    }

    /// <summary>Split into fragments of <paramref name="size"/> chars without separating surrogate pairs.</summary>
    private static List<string> Fragments(string s, int size)
    {
        size = Math.Max(1, size);
        var list = new List<string>();
        var i = 0;
        while (i < s.Length)
        {
            var len = Math.Min(size, s.Length - i);
            if (i + len < s.Length && char.IsHighSurrogate(s[i + len - 1])) len++;
            list.Add(s.Substring(i, len));
            i += len;
        }
        return list;
    }

    private static int Tokens(int chars) => (chars + 3) / 4;

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    private static string NewId() => Guid.NewGuid().ToString();

    private static string RandomSuffix(int n)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        var chars = new char[n];
        for (var i = 0; i < n; i++) chars[i] = alphabet[Random.Shared.Next(alphabet.Length)];
        return new string(chars);
    }

    /// <summary>Cut at the first occurrence of any stop string. Returns true if cut.</summary>
    private static bool ApplyStop(ref string text, IReadOnlyList<string> stop)
    {
        var cut = -1;
        foreach (var s in stop)
        {
            if (s.Length == 0) continue;
            var idx = text.IndexOf(s, StringComparison.Ordinal);
            if (idx >= 0 && (cut < 0 || idx < cut)) cut = idx;
        }
        if (cut < 0) return false;
        text = text[..cut];
        return true;
    }
}
