using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Infrastructure;

/// <summary>One server-sent event as read off the wire.</summary>
/// <param name="Event">The <c>event:</c> line (null when absent).</param>
/// <param name="Data">The <c>data:</c> payload (lines joined by \n).</param>
internal sealed record SseEvent(string? Event, string Data)
{
    /// <summary>The data parsed as JSON (null if it is not JSON).</summary>
    public JsonNode? Json { get; } = TryParse(Data);

    /// <summary>The JSON <c>type</c> field.</summary>
    public string? Type => Json?["type"]?.GetValue<string>();

    private static JsonNode? TryParse(string data)
    {
        try
        {
            return JsonNode.Parse(data);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>A raw HTTP answer from the gateway.</summary>
internal sealed record RawAnswer(HttpStatusCode Status, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders, string Body)
{
    public JsonNode? Json
    {
        get
        {
            try
            {
                return JsonNode.Parse(Body);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    public string? Header(string name) =>
        Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : ContentHeaders.TryGetValues(name, out var cvalues) ? string.Join(",", cvalues) : null;
}

/// <summary>Helpers shared by the Messages and Robustness tests.</summary>
internal static class GatewayTestSupport
{
    /// <summary>POSTs a JSON text with an <c>x-api-key</c>.</summary>
    public static async Task<RawAnswer> PostJsonAsync(
        GatewayHost host, string path, string json, IReadOnlyDictionary<string, string>? headers = null, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        if (headers is null || !headers.Keys.Any(k => k.Equals("authorization", StringComparison.OrdinalIgnoreCase) || k.Equals("x-api-key", StringComparison.OrdinalIgnoreCase)))
        {
            request.Headers.TryAddWithoutValidation("x-api-key", "sk-client-test");
        }

        foreach (var (k, v) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(k, v);
        }

        return await SendAsync(host.Http, request, ct);
    }

    public static async Task<RawAnswer> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken ct = default)
    {
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        return new RawAnswer(response.StatusCode, response.Headers, response.Content.Headers, body);
    }

    public static Task<RawAnswer> PostJsonAsync(GatewayHost host, string path, JsonNode json, IReadOnlyDictionary<string, string>? headers = null) =>
        PostJsonAsync(host, path, json.ToJsonString(), headers);

    /// <summary>Parses an SSE body into events. Comment lines are skipped.</summary>
    public static List<SseEvent> ParseSse(string body)
    {
        var events = new List<SseEvent>();
        string? name = null;
        var data = new List<string>();
        foreach (var rawLine in body.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = rawLine;
            if (line.Length == 0)
            {
                if (name is not null || data.Count > 0)
                {
                    events.Add(new SseEvent(name, string.Join("\n", data)));
                }

                name = null;
                data.Clear();
                continue;
            }

            if (line.StartsWith(':'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            if (field == "event")
            {
                name = value;
            }
            else if (field == "data")
            {
                data.Add(value);
            }
        }

        if (name is not null || data.Count > 0)
        {
            events.Add(new SseEvent(name, string.Join("\n", data)));
        }

        return events;
    }

    /// <summary>Asserts the Anthropic error envelope and that request_id matches the header; returns error.type.</summary>
    public static string AssertErrorEnvelope(RawAnswer answer, string? expectedType = null)
    {
        var json = answer.Json;
        Assert.True(json is JsonObject, $"error body is not a JSON object: {Truncate(answer.Body)} (status {(int)answer.Status})");
        Assert.Equal("error", json!["type"]?.GetValue<string>());
        var error = json["error"] as JsonObject;
        Assert.NotNull(error);
        var type = error!["type"]?.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(type), "error.type missing");
        Assert.NotNull(error["message"]?.GetValue<string>());
        var requestId = json["request_id"]?.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(requestId), "request_id missing from the error body");
        Assert.Equal(requestId, answer.Header("request-id"));
        Assert.StartsWith("application/json", answer.ContentHeaders.ContentType?.ToString() ?? "", StringComparison.Ordinal);
        if (expectedType is not null)
        {
            Assert.Equal(expectedType, type);
        }

        return type!;
    }

    public static string Truncate(string s, int max = 400) => s.Length <= max ? s : s[..max] + "…";

    /// <summary>The directory with the Claude Code fixtures.</summary>
    public static string FixtureDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Switchyard.sln")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        return Path.GetFullPath(Path.Combine(dir!.FullName, "tests", "fixtures", "claude-code"));
    }

    /// <summary>Loads a fixture: <c>{method,url,headers,body}</c>.</summary>
    public static JsonObject LoadFixture(string name) =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(FixtureDirectory(), name)))!;

    /// <summary>Builds the request of a fixture as it is (minus hop-by-hop headers), optionally with a different body.</summary>
    public static HttpRequestMessage FixtureRequest(JsonObject fixture, string? bodyOverride = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(fixture["method"]!.GetValue<string>()), fixture["url"]!.GetValue<string>());
        var body = bodyOverride ?? fixture["body"]!.ToJsonString();
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        foreach (var (key, value) in (JsonObject)fixture["headers"]!)
        {
            var name = key.ToLowerInvariant();
            if (name is "content-length" or "host" or "connection" or "accept-encoding")
            {
                continue;
            }

            var text = value!.GetValue<string>();
            if (name == "content-type")
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(text);
                continue;
            }

            Assert.True(request.Headers.TryAddWithoutValidation(key, text), $"could not add header {key}");
        }

        return request;
    }

    /// <summary>A minimal valid request body.</summary>
    public static JsonObject SimpleBody(string text = "Hello", bool stream = false, string model = "claude-sonnet-4-5", int maxTokens = 200) => new()
    {
        ["model"] = model,
        ["max_tokens"] = maxTokens,
        ["stream"] = stream,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = text }),
    };

    /// <summary>Upstream messages of the last request.</summary>
    public static JsonArray UpstreamMessages(GatewayHost host) => (JsonArray)host.Upstream.LastRequest.Json!["messages"]!;

    public static string? Str(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
    /// <summary>
    /// Checks a complete, successful Messages SSE stream: event names equal data types, message_start first,
    /// contiguous non-interleaved blocks, one signature_delta right before each thinking block's stop, a ping,
    /// and message_delta then message_stop at the end. Returns the events without pings.
    /// </summary>
    public static List<SseEvent> AssertWellFormedStream(List<SseEvent> events)
    {
        Assert.NotEmpty(events);
        foreach (var e in events)
        {
            Assert.NotNull(e.Json);
            Assert.False(string.IsNullOrEmpty(e.Event), $"event without an event: line: {e.Data}");
            Assert.Equal(e.Event, e.Type);
        }

        Assert.DoesNotContain(events, e => e.Event == "error");
        Assert.Contains(events, e => e.Event == "ping");
        var list = events.Where(e => e.Event != "ping").ToList();
        Assert.Equal("message_start", list[0].Event);
        Assert.Equal(1, list.Count(e => e.Event == "message_start"));
        var start = list[0].Json!["message"]!;
        Assert.Equal("message", Str(start["type"]));
        Assert.Equal("assistant", Str(start["role"]));
        Assert.StartsWith("msg_", Str(start["id"]), StringComparison.Ordinal);
        Assert.Empty((JsonArray)start["content"]!);
        Assert.Null(start["stop_reason"]);
        Assert.NotNull(start["usage"]?["input_tokens"]);

        Assert.Equal("message_stop", list[^1].Event);
        Assert.Equal("message_delta", list[^2].Event);
        Assert.Equal(1, list.Count(e => e.Event == "message_stop"));
        var delta = list[^2].Json!;
        Assert.NotNull(delta["delta"]?["stop_reason"]);
        Assert.True(((JsonObject)delta["delta"]!).ContainsKey("stop_sequence"), "message_delta.delta.stop_sequence missing");
        Assert.NotNull(delta["usage"]?["output_tokens"]);

        var expectedIndex = 0;
        int? open = null;
        string? openType = null;
        var signatures = 0;
        string? previousDeltaType = null;
        foreach (var e in list.Skip(1).Take(list.Count - 3))
        {
            switch (e.Event)
            {
                case "content_block_start":
                    Assert.Null(open);
                    Assert.Equal(expectedIndex, e.Json!["index"]!.GetValue<int>());
                    open = expectedIndex++;
                    openType = Str(e.Json["content_block"]!["type"]);
                    if (openType == "thinking")
                    {
                        Assert.Equal("", Str(e.Json["content_block"]!["signature"]));
                        Assert.Equal("", Str(e.Json["content_block"]!["thinking"]));
                    }
                    else if (openType == "text")
                    {
                        Assert.Equal("", Str(e.Json["content_block"]!["text"]));
                    }
                    else if (openType == "tool_use")
                    {
                        Assert.IsType<JsonObject>(e.Json["content_block"]!["input"]);
                        Assert.Empty((JsonObject)e.Json["content_block"]!["input"]!);
                    }

                    signatures = 0;
                    previousDeltaType = null;
                    break;
                case "content_block_delta":
                    Assert.NotNull(open);
                    Assert.Equal(open, e.Json!["index"]!.GetValue<int>());
                    var dt = Str(e.Json["delta"]!["type"]);
                    Assert.Equal(0, signatures);
                    switch (openType)
                    {
                        case "thinking":
                            Assert.True(dt is "thinking_delta" or "signature_delta", $"{dt} in a thinking block");
                            break;
                        case "text":
                            Assert.Equal("text_delta", dt);
                            break;
                        case "tool_use":
                            Assert.Equal("input_json_delta", dt);
                            break;
                    }

                    if (dt == "signature_delta")
                    {
                        signatures++;
                    }

                    previousDeltaType = dt;
                    break;
                case "content_block_stop":
                    Assert.NotNull(open);
                    Assert.Equal(open, e.Json!["index"]!.GetValue<int>());
                    if (openType == "thinking")
                    {
                        Assert.Equal(1, signatures);
                        Assert.Equal("signature_delta", previousDeltaType);
                    }

                    open = null;
                    break;
                default:
                    Assert.Fail($"unexpected event {e.Event} between message_start and message_delta");
                    break;
            }
        }

        Assert.Null(open);
        return list;
    }

    /// <summary>Rebuilds the content blocks of a stream (text/thinking/tool input JSON text) for assertions.</summary>
    public static List<(string Type, string Text, JsonNode? Block)> BlocksOf(List<SseEvent> events)
    {
        var blocks = new List<(string Type, string Text, JsonNode? Block)>();
        var builders = new List<System.Text.StringBuilder>();
        foreach (var e in events)
        {
            if (e.Event == "content_block_start")
            {
                blocks.Add((Str(e.Json!["content_block"]!["type"])!, "", e.Json["content_block"]));
                builders.Add(new System.Text.StringBuilder());
            }
            else if (e.Event == "content_block_delta")
            {
                var i = e.Json!["index"]!.GetValue<int>();
                var d = e.Json["delta"]!;
                builders[i].Append(Str(d["text"]) ?? Str(d["thinking"]) ?? Str(d["partial_json"]) ?? "");
            }
        }

        return [.. blocks.Select((b, i) => (b.Type, builders[i].ToString(), b.Block))];
    }
}

