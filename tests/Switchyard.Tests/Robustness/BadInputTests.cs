using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Switchyard.Tests.Robustness;

/// <summary>Broken request bodies must never produce a 5xx, always an Anthropic error envelope, and never break the server.</summary>
public sealed class BadInputTests(ITestOutputHelper output)
{
    private const string Deep = "__DEEP_PLACEHOLDER__";
    private const string BadUtf8 = "__BAD_UTF8_PLACEHOLDER__";
    private const string Lone = "__LONE_SURROGATE__";

    private sealed record Case(string Kind, byte[] Body, string Path);

    private static readonly string[] TopLevelFields =
    [
        "model", "max_tokens", "messages", "system", "stream", "stop_sequences", "temperature", "top_p", "top_k", "metadata",
        "tools", "tool_choice", "thinking", "output_config", "cache_control", "context_management", "service_tier", "container",
    ];

    private static readonly string[] BlockFields =
    [
        "type", "text", "id", "name", "input", "tool_use_id", "content", "is_error", "thinking", "signature", "cache_control", "citations",
    ];

    private static readonly string[] UnknownBlockTypes =
    [
        "image", "document", "redacted_thinking", "server_tool_use", "web_search_tool_result", "mcp_tool_use", "container_upload",
        "search_result", "bogus", "", "TEXT", "tool_reference", "mid_conv_system",
    ];

    private static JsonNode? RandomValue(Random r) => r.Next(20) switch
    {
        0 => null,
        1 => true,
        2 => false,
        3 => 0,
        4 => -1,
        5 => 1.5,
        6 => JsonNode.Parse("1e308"),
        7 => JsonNode.Parse("123456789012345678901234567890"),
        8 => "",
        9 => "str",
        10 => new JsonArray(),
        11 => new JsonObject(),
        12 => new JsonArray(null, 1, "x", new JsonObject()),
        13 => new JsonObject { ["type"] = "text" },
        14 => JsonNode.Parse("-0"),
        15 => Lone,
        16 => BadUtf8,
        17 => 2147483648L,
        18 => new JsonObject { ["type"] = "bogus", ["x"] = new JsonArray() },
        _ => JsonNode.Parse("-1e-300"),
    };

    private static List<JsonObject> ValidBases()
    {
        var list = new List<JsonObject>();
        foreach (var name in new[] { "first-request.json", "tool-result-turn.json" })
        {
            list.Add((JsonObject)GatewayTestSupport.LoadFixture(name)["body"]!.DeepClone());
        }

        list.Add(GatewayTestSupport.SimpleBody("hello"));
        list.Add((JsonObject)JsonNode.Parse("""
            {"model":"claude-opus-4-7","max_tokens":1000,"system":[{"type":"text","text":"sys"}],
             "stop_sequences":["STOP"],"temperature":0.5,"top_p":0.9,"metadata":{"user_id":"u-1"},
             "thinking":{"type":"enabled","budget_tokens":1024},"output_config":{"effort":"max"},
             "tools":[{"name":"get_weather","description":"d","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],
             "tool_choice":{"type":"auto"},
             "messages":[
               {"role":"user","content":"weather?"},
               {"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"sy1.abc"},{"type":"text","text":"checking"},{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"sunny"}],"is_error":false},{"type":"text","text":"and?"}]}
             ]}
            """)!);
        list.Add((JsonObject)JsonNode.Parse("""
            {"model":"deepseek-reasoner","max_tokens":50,"tool_choice":{"type":"tool","name":"t"},
             "tools":[{"name":"t","input_schema":{"type":"object"}},{"type":"bash_20250124","name":"bash"}],
             "messages":[{"role":"user","content":"a"},{"role":"user","content":"b"},{"role":"system","content":"mid"},{"role":"assistant","content":"prefill"}]}
            """)!);
        return list;
    }

    /// <summary>All (container, key-or-index) slots in the tree.</summary>
    private static List<(JsonNode Parent, object Key)> Slots(JsonNode root)
    {
        var slots = new List<(JsonNode, object)>();
        var stack = new Stack<JsonNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node is JsonObject o)
            {
                foreach (var (k, v) in o)
                {
                    slots.Add((o, k));
                    if (v is not null)
                    {
                        stack.Push(v);
                    }
                }
            }
            else if (node is JsonArray a)
            {
                for (var i = 0; i < a.Count; i++)
                {
                    slots.Add((a, i));
                    if (a[i] is { } v)
                    {
                        stack.Push(v);
                    }
                }
            }
        }

        return slots;
    }

    private static void Set(JsonNode parent, object key, JsonNode? value)
    {
        if (parent is JsonObject o)
        {
            o[(string)key] = value;
        }
        else
        {
            ((JsonArray)parent)[(int)key] = value;
        }
    }

    private static List<JsonObject> BlocksIn(JsonObject body)
    {
        var blocks = new List<JsonObject>();
        if (body["messages"] is JsonArray messages)
        {
            foreach (var m in messages)
            {
                if (m?["content"] is JsonArray content)
                {
                    blocks.AddRange(content.OfType<JsonObject>());
                }
            }
        }

        return blocks;
    }

    private static byte[] Render(JsonNode? node, Random r)
    {
        var text = node?.ToJsonString() ?? "null";
        if (text.Contains(Deep, StringComparison.Ordinal))
        {
            var depth = r.Next(4) switch { 0 => 10_000, 1 => 127, 2 => 129, _ => 1_000 };
            var deep = r.Next(2) == 0
                ? new string('[', depth) + new string(']', depth)
                : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
            text = text.Replace("\"" + Deep + "\"", deep, StringComparison.Ordinal);
        }

        text = text.Replace(Lone, r.Next(2) == 0 ? "\\ud800" : "x\\udc00y", StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(text);
        var marker = Encoding.UTF8.GetBytes(BadUtf8);
        var at = bytes.AsSpan().IndexOf(marker);
        while (at >= 0)
        {
            byte[][] bad = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF0, 0x28, 0x8C, 0x28], [0xC0, 0xAF], [0xE2, 0x82]];
            var pick = bad[r.Next(bad.Length)];
            bytes = [.. bytes.AsSpan(0, at), .. pick, .. bytes.AsSpan(at + marker.Length)];
            at = bytes.AsSpan().IndexOf(marker);
        }

        return bytes;
    }

    private static List<Case> Generate(int seed, int structural, int byteLevel)
    {
        var r = new Random(seed);
        var bases = ValidBases();
        var cases = new List<Case>();

        void AddStructural(string kind, JsonNode? node)
        {
            foreach (var stream in new bool?[] { false, true })
            {
                var copy = node?.DeepClone();
                if (copy is JsonObject o && (o["stream"] is null || o["stream"] is JsonValue sv && sv.GetValueKind() is JsonValueKind.True or JsonValueKind.False))
                {
                    o["stream"] = stream;
                }

                cases.Add(new Case(kind + (stream == true ? "/stream" : ""), Render(copy, new Random(r.Next())), "/v1/messages"));
            }

            cases.Add(new Case(kind + "/count", Render(node, new Random(r.Next())), "/v1/messages/count_tokens"));
        }

        // Fixed cases.
        foreach (var raw in new[] { "", " ", "[]", "1", "\"s\"", "null", "true", "{", "}", "{}", "[{}]", "{\"model\":}", "\u0000", "{\"messages\":[]}" })
        {
            cases.Add(new Case("fixed:" + raw, Encoding.UTF8.GetBytes(raw), "/v1/messages"));
            cases.Add(new Case("fixed-count:" + raw, Encoding.UTF8.GetBytes(raw), "/v1/messages/count_tokens"));
        }

        foreach (var b in bases)
        {
            AddStructural("valid", b);
        }

        for (var i = 0; i < structural; i++)
        {
            var body = (JsonObject)bases[r.Next(bases.Count)].DeepClone();
            string kind;
            switch (r.Next(14))
            {
                case 0:
                case 1:
                {
                    var field = TopLevelFields[r.Next(TopLevelFields.Length)];
                    body[field] = RandomValue(r);
                    kind = "top-level-type:" + field;
                    break;
                }

                case 2:
                {
                    var messages = body["messages"]!.AsArray();
                    var m = messages[r.Next(messages.Count)]!.AsObject();
                    var field = r.Next(3) switch { 0 => "role", 1 => "content", _ => "extra" };
                    m[field] = RandomValue(r);
                    kind = "message-field:" + field;
                    break;
                }

                case 3:
                case 4:
                {
                    var blocks = BlocksIn(body);
                    if (blocks.Count == 0)
                    {
                        goto default;
                    }

                    var block = blocks[r.Next(blocks.Count)];
                    var field = BlockFields[r.Next(BlockFields.Length)];
                    block[field] = RandomValue(r);
                    kind = "block-field:" + field;
                    break;
                }

                case 5:
                {
                    var blocks = BlocksIn(body);
                    if (blocks.Count == 0)
                    {
                        goto default;
                    }

                    blocks[r.Next(blocks.Count)]["type"] = UnknownBlockTypes[r.Next(UnknownBlockTypes.Length)];
                    kind = "unknown-block";
                    break;
                }

                case 6:
                case 7:
                {
                    var slots = Slots(body);
                    var n = 1 + r.Next(3);
                    for (var k = 0; k < n; k++)
                    {
                        var (parent, key) = slots[r.Next(slots.Count)];
                        Set(parent, key, r.Next(2) == 0 ? null : RandomValue(r));
                    }

                    kind = "random-slots";
                    break;
                }

                case 8:
                {
                    // Deep nesting somewhere.
                    var where = r.Next(5);
                    switch (where)
                    {
                        case 0:
                            body["messages"]!.AsArray().Add(new JsonObject { ["role"] = "user", ["content"] = Deep });
                            break;
                        case 1:
                            body["tools"] = new JsonArray(new JsonObject { ["name"] = "deep", ["input_schema"] = new JsonObject { ["type"] = "object", ["properties"] = Deep } });
                            break;
                        case 2:
                            body["metadata"] = Deep;
                            break;
                        case 3:
                            body["unknown_field"] = Deep;
                            break;
                        default:
                            body["messages"]!.AsArray().Insert(0, new JsonObject
                            {
                                ["role"] = "assistant",
                                ["content"] = new JsonArray(new JsonObject { ["type"] = "tool_use", ["id"] = "t", ["name"] = "n", ["input"] = new JsonObject { ["x"] = Deep } }),
                            });
                            break;
                    }

                    kind = "deep:" + where;
                    break;
                }

                case 9:
                {
                    var slots = Slots(body).Where(s => (s.Parent is JsonObject o ? o[(string)s.Key] : ((JsonArray)s.Parent)[(int)s.Key]) is JsonValue v && v.GetValueKind() == JsonValueKind.String).ToList();
                    if (slots.Count == 0)
                    {
                        goto default;
                    }

                    var (parent, key) = slots[r.Next(slots.Count)];
                    Set(parent, key, r.Next(2) == 0 ? "pre" + BadUtf8 + "post" : Lone);
                    kind = "bad-unicode";
                    break;
                }

                case 10:
                {
                    if (i % 40 != 0)
                    {
                        goto default;
                    }

                    // 1 MB strings (rare: they are slow to count).
                    var big = new string((char)('a' + r.Next(26)), 1_000_000);
                    var which = r.Next(5);
                    switch (which)
                    {
                        case 0: body["model"] = big; break;
                        case 1: body["messages"]!.AsArray().Add(new JsonObject { ["role"] = "user", ["content"] = big }); break;
                        case 2: body["stop_sequences"] = new JsonArray(big); break;
                        case 3: body["metadata"] = new JsonObject { ["user_id"] = big }; break;
                        default: body["system"] = big; break;
                    }

                    kind = "huge-string:" + which;
                    break;
                }

                case 11:
                {
                    if (i % 100 != 0)
                    {
                        goto default;
                    }

                    var many = new JsonArray();
                    for (var k = 0; k < 10_000; k++)
                    {
                        many.Add(new JsonObject { ["role"] = k % 2 == 0 ? "user" : "assistant", ["content"] = "m" + k });
                    }

                    body = GatewayTestSupport.SimpleBody();
                    body["messages"] = many;
                    kind = "10k-messages";
                    break;
                }

                case 12:
                {
                    var arr = body["messages"]!.AsArray();
                    arr.Add(new JsonObject
                    {
                        ["role"] = r.Next(2) == 0 ? "user" : "assistant",
                        ["content"] = new JsonArray(new JsonObject { ["type"] = r.Next(2) == 0 ? "tool_result" : "tool_use", ["tool_use_id"] = "toolu_nope", ["id"] = "toolu_nope", ["name"] = "x", ["input"] = new JsonObject() }),
                    });
                    kind = "dangling-tool";
                    break;
                }

                default:
                {
                    var slots = Slots(body);
                    var (parent, key) = slots[r.Next(slots.Count)];
                    if (parent is JsonObject o)
                    {
                        o.Remove((string)key);
                    }
                    else
                    {
                        ((JsonArray)parent).RemoveAt((int)key);
                    }

                    kind = "remove-slot";
                    break;
                }
            }

            AddStructural(kind, body);
        }

        var baseBytes = bases.Select(b => Encoding.UTF8.GetBytes(b.ToJsonString())).ToList();
        for (var i = 0; i < byteLevel; i++)
        {
            var source = baseBytes[r.Next(baseBytes.Count)];
            byte[] body;
            string kind;
            if (r.Next(2) == 0)
            {
                body = source[..r.Next(source.Length)];
                kind = "truncated";
            }
            else
            {
                body = (byte[])source.Clone();
                var flips = 1 + r.Next(6);
                for (var k = 0; k < flips; k++)
                {
                    body[r.Next(body.Length)] = r.Next(3) == 0 ? (byte)r.Next(256) : (byte)(body[r.Next(body.Length)] ^ (1 << r.Next(8)));
                }

                kind = "byte-flip";
            }

            cases.Add(new Case(kind, body, i % 2 == 0 ? "/v1/messages" : "/v1/messages/count_tokens"));
        }

        return cases;
    }

    /// <summary>Labels bodies with invalid UTF-8 or escaped lone surrogates, so failures group by cause.</summary>
    private static string Classify(byte[] body)
    {
        var tags = "";
        try
        {
            _ = new UTF8Encoding(false, true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            tags += " invalid-utf8";
        }

        var text = Encoding.UTF8.GetString(body);
        if (System.Text.RegularExpressions.Regex.IsMatch(text, @"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"))
        {
            tags += " lone-surrogate";
        }

        return tags.Length == 0 ? "" : " |" + tags;
    }

    [Fact]
    public async Task Fuzzed_bodies_never_cause_5xx_and_always_get_an_envelope()
    {
        await using var host = await GatewayHost.StartAsync();
        var cases = Generate(seed: 20_251_122, structural: 1200, byteLevel: 1200);
        output.WriteLine($"{cases.Count} requests");
        var failures = new ConcurrentBag<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var stopwatch = Stopwatch.StartNew();
        using var http = new HttpClient { BaseAddress = host.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };

        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (c, ct) =>
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, c.Path) { Content = new ByteArrayContent(c.Body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Add("x-api-key", "sk-fuzz");
                request.Headers.Add("anthropic-version", "2023-06-01");
                var answer = await GatewayTestSupport.SendAsync(http, request, ct);
                statuses.AddOrUpdate((int)answer.Status, 1, (_, n) => n + 1);
                var label = $"[{c.Kind} → {c.Path}{Classify(c.Body)}] {(int)answer.Status}";
                if ((int)answer.Status >= 500)
                {
                    failures.Add($"{label}: 5xx: {GatewayTestSupport.Truncate(answer.Body, 300)} | request: {GatewayTestSupport.Truncate(Encoding.UTF8.GetString(c.Body), 200)}");
                    return;
                }

                if (answer.Status != HttpStatusCode.OK)
                {
                    try
                    {
                        GatewayTestSupport.AssertErrorEnvelope(answer);
                    }
                    catch (Exception e) when (e is Xunit.Sdk.XunitException)
                    {
                        failures.Add($"{label}: bad envelope: {e.Message.Split('\n')[0]} body={GatewayTestSupport.Truncate(answer.Body, 200)}");
                    }

                    return;
                }

                var contentType = answer.ContentHeaders.ContentType?.MediaType;
                if (contentType == "text/event-stream")
                {
                    var events = GatewayTestSupport.ParseSse(answer.Body);
                    if (events.Count == 0 || events[0].Event != "message_start")
                    {
                        failures.Add($"{label}: stream does not start with message_start: {GatewayTestSupport.Truncate(answer.Body, 200)}");
                    }
                    else if (events.Find(e => e.Event == "error") is { } error)
                    {
                        failures.Add($"{label}: error event in stream: {error.Data}");
                    }
                    else if (events[^1].Event != "message_stop")
                    {
                        failures.Add($"{label}: stream does not end with message_stop");
                    }
                }
                else if (answer.Json is not JsonObject json || (json["type"] is null && json["input_tokens"] is null))
                {
                    failures.Add($"{label}: 200 with unexpected body {GatewayTestSupport.Truncate(answer.Body, 200)}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                failures.Add($"[{c.Kind} → {c.Path}] transport failure: {e.GetType().Name}: {e.Message}");
            }
        });

        output.WriteLine($"done in {stopwatch.Elapsed}; statuses: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
        output.WriteLine($"upstream requests: {host.Upstream.Requests.Count}");

        // The server is still healthy.
        using (var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        var ok = await GatewayTestSupport.PostJsonAsync(host, "/v1/messages", GatewayTestSupport.SimpleBody("still alive?"));
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Contains("still alive?", ok.Body, StringComparison.Ordinal);
        var okStream = await GatewayTestSupport.PostJsonAsync(host, "/v1/messages", GatewayTestSupport.SimpleBody("still alive?", stream: true));
        GatewayTestSupport.AssertWellFormedStream(GatewayTestSupport.ParseSse(okStream.Body));

        var distinct = failures.GroupBy(f => f.Split(']')[0] + f.Split(':').ElementAtOrDefault(2)).Select(g => $"{g.Count()}× {g.First()}").ToList();
        foreach (var f in distinct)
        {
            output.WriteLine(f);
        }

        Assert.True(failures.IsEmpty, $"{failures.Count} failures of {cases.Count} requests:\n" + string.Join("\n", distinct.Take(40)));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(90), $"fuzz run took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Body_over_limit_is_413_with_content_length()
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:MaxRequestBodyBytes"] = "65536" });
        var body = GatewayTestSupport.SimpleBody(new string('x', 100_000)).ToJsonString();
        var answer = await GatewayTestSupport.PostJsonAsync(host, "/v1/messages", body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.Status);
        GatewayTestSupport.AssertErrorEnvelope(answer, "request_too_large");
        Assert.Empty(host.Upstream.Requests);

        var count = await GatewayTestSupport.PostJsonAsync(host, "/v1/messages/count_tokens", body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, count.Status);
        GatewayTestSupport.AssertErrorEnvelope(count, "request_too_large");

        // Just under the limit is fine.
        var small = GatewayTestSupport.SimpleBody(new string('x', 60_000)).ToJsonString();
        var fine = await GatewayTestSupport.PostJsonAsync(host, "/v1/messages", small);
        Assert.Equal(HttpStatusCode.OK, fine.Status);
    }

    private sealed class ChunkedContent(byte[] data) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (var i = 0; i < data.Length; i += 8192)
            {
                await stream.WriteAsync(data.AsMemory(i, Math.Min(8192, data.Length - i)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }

    [Theory]
    [InlineData("/v1/messages", false)]
    [InlineData("/v1/messages", true)]
    [InlineData("/v1/messages/count_tokens", false)]
    public async Task Body_over_limit_is_413_with_chunked_encoding(string path, bool stream)
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:MaxRequestBodyBytes"] = "65536" });
        var body = Encoding.UTF8.GetBytes(GatewayTestSupport.SimpleBody(new string('y', 100_000), stream: stream).ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ChunkedContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("x-api-key", "k");
        var answer = await GatewayTestSupport.SendAsync(host.Http, request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.Status);
        GatewayTestSupport.AssertErrorEnvelope(answer, "request_too_large");
        Assert.Empty(host.Upstream.Requests);

        // The server still serves normal requests.
        var ok = await GatewayTestSupport.PostJsonAsync(host, "/v1/messages", GatewayTestSupport.SimpleBody());
        Assert.Equal(HttpStatusCode.OK, ok.Status);
    }
    private static byte[] WithBytes(string template, byte[] bad)
    {
        var bytes = Encoding.UTF8.GetBytes(template);
        var marker = Encoding.UTF8.GetBytes("@@");
        var at = bytes.AsSpan().IndexOf(marker);
        return [.. bytes.AsSpan(0, at), .. bad, .. bytes.AsSpan(at + marker.Length)];
    }

    public static TheoryData<string, string> Utf8Cases() => new()
    {
        { "/v1/messages", """{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"hi @@ there"}]}""" },
        { "/v1/messages", """{"model":"claude-sonnet-4-5","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi @@ there"}]}""" },
        { "/v1/messages", """{"model":"claude-@@","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""" },
        { "/v1/messages", """{"model":"claude-sonnet-4-5","max_tokens":10,"system":"sys @@","messages":[{"role":"user","content":"hi"}]}""" },
        { "/v1/messages", """{"model":"claude-sonnet-4-5","max_tokens":10,"x@@":1,"messages":[{"role":"user","content":"hi"}]}""" },
        { "/v1/messages/count_tokens", """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":[{"type":"text","text":"@@"}]}]}""" },
    };

    /// <summary>BUG: invalid UTF-8 inside a JSON string passes JsonDocument.Parse and makes GetString() throw → 500 api_error.</summary>
    [Theory]
    [MemberData(nameof(Utf8Cases))]
    public async Task Invalid_utf8_in_a_string_is_400_not_500(string path, string template)
    {
        await using var host = await GatewayHost.StartAsync();
        foreach (var bad in new byte[][] { [0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80] })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(WithBytes(template, bad)) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("x-api-key", "k");
            var answer = await GatewayTestSupport.SendAsync(host.Http, request);
            Assert.True(answer.Status == HttpStatusCode.BadRequest,
                $"invalid UTF-8 {Convert.ToHexString(bad)} → {(int)answer.Status} {answer.Body}");
            GatewayTestSupport.AssertErrorEnvelope(answer, "invalid_request_error");
        }
    }

    public static TheoryData<string, string> SurrogateCases() => new()
    {
        { "/v1/messages", """{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"hi \ud800 there"}]}""" },
        { "/v1/messages", """{"model":"claude-sonnet-4-5","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"x\udc00y"}]}""" },
        { "/v1/messages", """{"model":"\ud800","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""" },
        { "/v1/messages/count_tokens", """{"model":"claude-sonnet-4-5","system":"\udfff","messages":[{"role":"user","content":"hi"}]}""" },
    };

    /// <summary>BUG: an escaped unpaired surrogate (\ud800) makes GetString() throw → 500 api_error; must be a 4xx (or accepted).</summary>
    [Theory]
    [MemberData(nameof(SurrogateCases))]
    public async Task Escaped_lone_surrogate_is_not_a_5xx(string path, string body)
    {
        await using var host = await GatewayHost.StartAsync();
        var answer = await GatewayTestSupport.PostJsonAsync(host, path, body);
        Assert.True((int)answer.Status < 500, $"lone surrogate → {(int)answer.Status} {answer.Body}");
        if (answer.Status != HttpStatusCode.OK)
        {
            GatewayTestSupport.AssertErrorEnvelope(answer, "invalid_request_error");
        }
    }
}
