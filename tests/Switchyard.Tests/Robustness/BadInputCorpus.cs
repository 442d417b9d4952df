using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchyard.Tests.Robustness;

/// <summary>One generated request: its class of mistake, where it goes and what it carries.</summary>
internal sealed record FuzzCase(string Class, string Method, string Path, byte[]? Body, string? ContentType, bool Admin)
{
    /// <summary>The endpoint, for counting (the path without its query string and ids).</summary>
    public string Endpoint => Path.Split('?')[0] switch
    {
        var p when p.StartsWith("/admin/keys/", StringComparison.Ordinal) => "/admin/keys/{id}",
        var p when p.StartsWith("/v1/models/", StringComparison.Ordinal) || p.StartsWith("/models/", StringComparison.Ordinal) ||
                   p.StartsWith("/anthropic/v1/models/", StringComparison.Ordinal) => "/v1/models/{id}",
        var p when p.EndsWith("/input_items", StringComparison.Ordinal) => "/v1/responses/{id}/input_items",
        var p when p.StartsWith("/v1/responses/", StringComparison.Ordinal) || p.StartsWith("/responses/", StringComparison.Ordinal) => "/v1/responses/{id}",
        var p => p,
    };
}

/// <summary>
/// Generates bad requests for every endpoint by mutating valid ones, class by class: a wrong JSON type, a null and a
/// missing value at every path of the request, duplicate keys in every object, nesting around the depth limit,
/// invalid UTF-8 and lone surrogates in every string, numbers no parser can hold, blank and truncated bodies, bodies
/// declared as other media types, wrong methods, and bad query strings and ids. Deterministic for a seed.
/// </summary>
internal static class BadInputCorpus
{
    /// <summary>The key the corpus's server must accept for the API.</summary>
    public const string ClientKey = "sk-fuzz-client-key";

    /// <summary>The admin key the corpus's server must have.</summary>
    public const string AdminKey = "fuzz-admin-key-0123456789abcdef";

    /// <summary>Slots per base and class at most (the Claude Code fixtures have hundreds); every slot of smaller bases.</summary>
    private const int MaxSlotsPerBase = 80;

    private static readonly byte[][] BadUtf8 = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF0, 0x28, 0x8C, 0x28], [0xC0, 0xAF], [0xE2, 0x82], [0xF8, 0x88, 0x80, 0x80, 0x80]];
    private static readonly string[] LoneSurrogates = ["\\ud800", "x\\udc00y", "\\udbff\\u0041", "\\uDFFF"];
    private static readonly string[] HugeNumbers = ["1e400", "-1e400", "1e-400", "123456789012345678901234567890", "9223372036854775808", "-9223372036854775809", "18446744073709551616", "4294967296", "2147483648", "-0", "1.0000000000000000000000001"];
    private static readonly int[] Depths = [63, 64, 65, 100, 128, 129, 1_000, 20_000];

    private static readonly string[] ContentTypes =
    [
        "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/xml", "application/json; charset=latin1", "application/json; charset=utf-16", "garbage", "application/", ";",
    ];

    private static readonly string[] BlankBodies =
    [
        "", " ", "\r\n", "\t\n ", "null", "[]", "{}", "0", "-1", "\"\"", "\"text\"", "true", "{", "[", "}", "{\"a\":", "{\"a\" 1}", "[{}]",
        "{\"model\":}", "\u0000", "{}{}", "{} x", "\uFEFF{}",
    ];

    private sealed record BodyEndpoint(string Name, string[] Paths, List<JsonObject> Bases, bool Admin);

    private sealed record QueryEndpoint(string Path, string[] Parameters, bool Admin, bool AnthropicVersion = false);

    /// <summary>The corpus for <paramref name="seed"/>.</summary>
    public static List<FuzzCase> Generate(int seed)
    {
        var r = new Random(seed);
        var cases = new List<FuzzCase>();
        foreach (var endpoint in BodyEndpoints())
        {
            GenerateBodies(endpoint, r, cases);
        }

        foreach (var endpoint in QueryEndpoints())
        {
            GenerateQueries(endpoint, r, cases);
        }

        GenerateIds(cases);
        GenerateMethods(cases);
        return cases;
    }

    private static List<BodyEndpoint> BodyEndpoints()
    {
        var messages = new List<JsonObject>
        {
            Fixture("first-request.json"),
            Fixture("tool-result-turn.json"),
            Parse("""{"model":"claude-sonnet-4-5","max_tokens":200,"messages":[{"role":"user","content":"hello"}]}"""),
            Parse("""
                {"model":"claude-opus-4-7","max_tokens":1000,"system":[{"type":"text","text":"sys","cache_control":{"type":"ephemeral"}}],
                 "stop_sequences":["STOP"],"temperature":0.5,"top_p":0.9,"top_k":5,"metadata":{"user_id":"u-1"},"stream":true,
                 "thinking":{"type":"enabled","budget_tokens":1024,"display":"omitted"},"output_config":{"effort":"max"},
                 "tools":[{"name":"get_weather","description":"d","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}},{"type":"bash_20250124","name":"bash"}],
                 "tool_choice":{"type":"auto","disable_parallel_tool_use":true},
                 "messages":[
                   {"role":"user","content":"weather?"},
                   {"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"sy1.abc"},{"type":"text","text":"checking"},{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
                   {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"sunny"}],"is_error":false},{"type":"text","text":"and?"}]}
                 ]}
                """),
            Parse("""
                {"model":"deepseek-reasoner","max_tokens":50,"tool_choice":{"type":"tool","name":"t"},
                 "tools":[{"name":"t","input_schema":{"type":"object"}}],
                 "messages":[{"role":"user","content":"a"},{"role":"system","content":"mid"},{"role":"assistant","content":"prefill"}]}
                """),
        };
        var chat = new List<JsonObject>
        {
            Parse("""{"model":"deepseek-v4-flash","messages":[{"role":"user","content":"hello"}]}"""),
            Parse("""
                {"model":"deepseek-v4-pro","stream":true,"stream_options":{"include_usage":true},"max_tokens":100,"temperature":0.7,"top_p":0.9,
                 "presence_penalty":0.1,"frequency_penalty":0.2,"stop":["END","STOP"],"thinking":{"type":"enabled"},"reasoning_effort":"high",
                 "user":"user-1","logprobs":true,"top_logprobs":2,"response_format":{"type":"json_object"},
                 "messages":[{"role":"system","content":"answer in json"},{"role":"developer","content":[{"type":"text","text":"dev"}]},{"role":"user","content":"hi"}]}
                """),
            Parse("""
                {"model":"deepseek-chat","tool_choice":"auto","tools":[{"type":"function","function":{"name":"get_weather","description":"d","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
                 "messages":[{"role":"user","content":"weather?"},
                   {"role":"assistant","content":null,"reasoning_content":"think","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
                   {"role":"tool","tool_call_id":"call_1","content":"sunny"},{"role":"user","content":[{"type":"text","text":"and?"}]}]}
                """),
            Parse("""{"model":"deepseek-v4-flash","messages":[{"role":"user","content":"Write"},{"role":"assistant","content":"Once","prefix":true}],"stop":"."}"""),
        };
        var fim = new List<JsonObject>
        {
            Parse("""{"model":"deepseek-v4-flash","prompt":"def fib(n):","suffix":"    return a","max_tokens":32,"temperature":0.2,"stream":false}"""),
            Parse("""{"model":"deepseek-v4-flash","prompt":"x = ","stream":true,"echo":false,"stop":["\n"]}"""),
        };
        var responses = new List<JsonObject>
        {
            Fixture("codex/0.171.0/exec-first-turn.json"),
            Parse("""{"model":"deepseek-v4-flash","input":"Capital of France?"}"""),
            Parse("""
                {"model":"deepseek-v4-pro","instructions":"Be brief.","stream":true,"store":false,"max_output_tokens":200,"temperature":0.3,"top_p":0.9,
                 "reasoning":{"effort":"high","summary":"auto"},"include":["reasoning.encrypted_content"],"metadata":{"t":"1"},"parallel_tool_calls":false,
                 "tools":[{"type":"function","name":"get_weather","description":"d","parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":false}],
                 "tool_choice":{"type":"function","name":"get_weather"},
                 "text":{"format":{"type":"text"}},
                 "input":[
                   {"role":"user","content":[{"type":"input_text","text":"Weather in Paris?"}]},
                   {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
                   {"type":"function_call_output","call_id":"call_1","output":"18 °C"},
                   {"type":"message","role":"assistant","content":[{"type":"output_text","text":"18 °C"}]},
                   {"role":"user","content":"and tomorrow?"}
                 ]}
                """),
        };
        var keys = new List<JsonObject>
        {
            Parse("""{"name":"fuzz-team","max_concurrency":4,"rpm":60,"tpm":100000,"budget_usd":5.5,"models":["deepseek-v4-*"]}"""),
            Parse("""{"name":"fuzz-min"}"""),
        };
        return
        [
            new("messages", ["/v1/messages", "/anthropic/v1/messages"], messages, false),
            new("count_tokens", ["/v1/messages/count_tokens", "/anthropic/v1/messages/count_tokens"], messages, false),
            new("chat", ["/v1/chat/completions", "/chat/completions", "/beta/chat/completions"], chat, false),
            new("fim", ["/beta/completions"], fim, false),
            new("responses", ["/v1/responses", "/responses"], responses, false),
            new("admin-keys", ["/admin/keys"], keys, true),
        ];
    }

    private static List<QueryEndpoint> QueryEndpoints() =>
    [
        new("/admin/usage", ["since", "by"], true),
        new("/admin/requests", ["since", "key", "limit"], true),
        new("/admin/keys", ["limit"], true),
        new("/admin/stats", ["since"], true),
        new("/dashboard/api/stats", ["since"], true),
        new("/dashboard/api/usage", ["since", "by"], true),
        new("/dashboard/api/requests", ["since", "key", "limit"], true),
        new("/v1/models", ["limit", "after_id", "before_id"], false, AnthropicVersion: true),
        new("/anthropic/v1/models", ["limit", "after_id", "before_id"], false, AnthropicVersion: true),
        new("/models", ["limit"], false),
        new("/user/balance", ["x"], false),
        new("/v1/user/balance", ["x"], false),
        new("/v1/responses/resp_fuzz", ["stream", "include"], false),
        new("/v1/responses/resp_fuzz/input_items", ["limit", "order", "after", "include"], false),
    ];

    private static readonly string[] QueryValues =
    [
        "", "0", "-1", "1", "abc", "1d", "30m", "-7d", "7x", "99999999999d", "9223372036854775807w", "9223372036854775808", "1e9h",
        "2026-13-45", "2026-05-01T25:00Z", "0001-01-01", "9999-12-31T23:59:59Z", "%00", "%ZZ", "%C3%28", "%F0%9F%98%80", "%0d%0aX",
        "' OR 1=1 --", "model", "key", "day", "week", "<script>", new string('9', 400), new string('a', 5000),
    ];

    private static void GenerateBodies(BodyEndpoint endpoint, Random r, List<FuzzCase> cases)
    {
        string PathFor(int i) => endpoint.Paths[i % endpoint.Paths.Length];
        void Add(string kind, byte[] body, int i, string? contentType = "application/json") =>
            cases.Add(new FuzzCase($"{endpoint.Name}:{kind}", "POST", PathFor(i), body, contentType, endpoint.Admin));

        var n = 0;
        foreach (var baseBody in endpoint.Bases)
        {
            Add("valid", Render(baseBody), n++);
            var slots = Sample(Slots(baseBody), r);
            foreach (var (_, _, path) in slots)
            {
                Add("wrong-type", Mutate(baseBody, path, original => WrongType(original, r)), n++);
                Add("null", Mutate(baseBody, path, _ => null), n++);
                Add("missing", Remove(baseBody, path), n++);
            }

            foreach (var (_, _, path) in Sample(Slots(baseBody).Where(s => s.Value is JsonValue v && v.GetValueKind() == JsonValueKind.Number).ToList(), r))
            {
                Add("huge-number", Mutate(baseBody, path, _ => Raw(HugeNumbers[r.Next(HugeNumbers.Length)])), n++);
            }

            foreach (var (_, _, path) in Sample(Slots(baseBody).Where(s => s.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String).ToList(), r))
            {
                var bad = BadUtf8[r.Next(BadUtf8.Length)];
                Add("bad-utf8", Mutate(baseBody, path, _ => RawBytes([(byte)'"', (byte)'a', .. bad, (byte)'b', (byte)'"'])), n++);
                Add("lone-surrogate", Mutate(baseBody, path, _ => Raw("\"" + LoneSurrogates[r.Next(LoneSurrogates.Length)] + "\"")), n++);
            }

            foreach (var objectPath in Sample(Objects(baseBody), r))
            {
                Add("duplicate-key", DuplicateKey(baseBody, objectPath, r), n++);
            }

            foreach (var depth in Depths)
            {
                // The root object is the first level: the value of "extra" holds the other depth - 1.
                var nested = r.Next(2) == 0
                    ? new string('[', depth - 1) + new string(']', depth - 1)
                    : string.Concat(Enumerable.Repeat("{\"a\":", depth - 1)) + "1" + new string('}', depth - 1);
                Add($"depth-{depth}", Mutate(baseBody, "$.extra", _ => Raw(nested)), n++);
                var deepSlot = Slots(baseBody).Where(s => s.Path.Count(c => c is '.' or '[') >= 2).Select(s => s.Path).DefaultIfEmpty("$.extra").ElementAt(0);
                Add($"depth-{depth}-inside", Mutate(baseBody, deepSlot, _ => Raw(nested)), n++);
            }

            var text = Render(baseBody);
            for (var k = 0; k < 12; k++)
            {
                Add("truncated", text[..r.Next(text.Length)], n++);
                var flipped = (byte[])text.Clone();
                for (var f = 1 + r.Next(4); f > 0; f--)
                {
                    flipped[r.Next(flipped.Length)] = (byte)r.Next(256);
                }

                Add("byte-flip", flipped, n++);
            }

            foreach (var contentType in ContentTypes)
            {
                Add("content-type", text, n++, contentType);
            }
        }

        foreach (var blank in BlankBodies)
        {
            Add("blank", Encoding.UTF8.GetBytes(blank), n++);
        }

        Add("blank-no-content-type", [], n++, null);
        Add("bom", [0xEF, 0xBB, 0xBF, .. Render(endpoint.Bases[^1])], n++);
        if (!endpoint.Admin)
        {
            // A long conversation is ordinary (Claude Code sends close to 1 MB late in a session): the large cases
            // below are bad in their shape, not their size.
            var conversation = string.Concat(Enumerable.Range(0, 100_000).Select(i => $"w{i % 977} "));
            var longMessage = endpoint.Name switch { "fim" => "$.prompt", "responses" => "$.input", _ => "$.messages[0].content" };
            Add("valid-large", Mutate(endpoint.Bases[0], longMessage, _ => conversation), n++);
            var big = new string('a', 1_000_000);
            Add("huge-string", Mutate(endpoint.Bases[^1], "$.model", _ => big), n++);
            Add("huge-string", Mutate(endpoint.Bases[^1], "$.extra", _ => big), n++);
            var many = new JsonArray([.. Enumerable.Range(0, 20_000).Select(i => (JsonNode?)i)]);
            Add("huge-array", Mutate(endpoint.Bases[^1], "$.extra", _ => many), n++);

            // Large bodies (4 MB) that are wrong only at their end: the whole body is read before anything is known.
            var large = Mutate(endpoint.Bases[^1], "$.extra", _ => new string('x', 4_000_000));
            Add("huge-body", large[..^3], n++);
            Add("huge-body", [.. large[..^2], 0xFF, .. large[^1..]], n++);
            Add("huge-body", [.. large[..^1], .. Encoding.UTF8.GetBytes(",\"extra\":1}")], n++);
            Add("huge-body", [.. large[..^1], .. Encoding.UTF8.GetBytes(",\"deep\":" + new string('[', 70) + new string(']', 70) + "}")], n++);
            Add("huge-body", Mutate(endpoint.Bases[^1], "$.model", _ => new string('m', 4_000_000)), n++);
        }
    }

    private static void GenerateQueries(QueryEndpoint endpoint, Random r, List<FuzzCase> cases)
    {
        cases.Add(new FuzzCase("query:valid", "GET", endpoint.Path, null, null, endpoint.Admin));
        foreach (var parameter in endpoint.Parameters)
        {
            foreach (var value in QueryValues)
            {
                cases.Add(new FuzzCase($"query:{parameter}", "GET", $"{endpoint.Path}?{parameter}={value}", null, null, endpoint.Admin));
            }
        }

        cases.Add(new FuzzCase("query:repeated", "GET", $"{endpoint.Path}?{endpoint.Parameters[0]}=1&{endpoint.Parameters[0]}=2", null, null, endpoint.Admin));
        cases.Add(new FuzzCase("query:unknown", "GET", $"{endpoint.Path}?nope=1&=&&%=", null, null, endpoint.Admin));
        cases.Add(new FuzzCase("query:bare", "GET", $"{endpoint.Path}?{string.Join('&', endpoint.Parameters)}", null, null, endpoint.Admin));
        var mixed = string.Join('&', endpoint.Parameters.Select(p => $"{p}={QueryValues[r.Next(QueryValues.Length)]}"));
        cases.Add(new FuzzCase("query:mixed", "GET", $"{endpoint.Path}?{mixed}", null, null, endpoint.Admin));
        if (endpoint.Admin)
        {
            cases.Add(new FuzzCase("query:no-admin-key", "GET", endpoint.Path, null, null, Admin: false));
        }
    }

    private static void GenerateIds(List<FuzzCase> cases)
    {
        string[] ids = ["x", "0", "-1", "key_", "%00", "%ZZ", "%C3%28", "..", "%2e%2e%2fadmin", "%2F", "deepseek-v4-flash", "claude-opus-4-7[1m]", new string('k', 3000), "é"];
        foreach (var id in ids)
        {
            cases.Add(new FuzzCase("id", "GET", "/admin/keys/" + id, null, null, true));
            cases.Add(new FuzzCase("id", "POST", $"/admin/keys/{id}/revoke", null, null, true));
            cases.Add(new FuzzCase("id", "DELETE", "/admin/keys/" + id, null, null, true));
            cases.Add(new FuzzCase("id", "GET", "/v1/models/" + id, null, null, false));
            cases.Add(new FuzzCase("id", "GET", "/v1/responses/" + id, null, null, false));
            cases.Add(new FuzzCase("id", "DELETE", "/v1/responses/" + id, null, null, false));
            cases.Add(new FuzzCase("id", "GET", $"/v1/responses/{id}/input_items", null, null, false));
            cases.Add(new FuzzCase("id", "DELETE", "/responses/" + id, null, null, false));
            cases.Add(new FuzzCase("id", "GET", $"/responses/{id}/input_items", null, null, false));
            cases.Add(new FuzzCase("id", "GET", "/models/" + id, null, null, false));
            cases.Add(new FuzzCase("id", "GET", "/anthropic/v1/models/" + id, null, null, false));
        }
    }

    private static void GenerateMethods(List<FuzzCase> cases)
    {
        string[] paths = ["/v1/messages", "/v1/messages/count_tokens", "/v1/chat/completions", "/beta/completions", "/admin/keys", "/admin/usage", "/dashboard/api/usage", "/v1/models", "/user/balance",
            "/v1/responses", "/responses", "/v1/responses/resp_fuzz", "/v1/responses/resp_fuzz/input_items", "/v1/completions", "/completions"];
        foreach (var path in paths)
        {
            foreach (var method in new[] { "GET", "PUT", "PATCH", "DELETE", "POST" })
            {
                cases.Add(new FuzzCase("method", method, path, method is "GET" or "DELETE" ? null : "{}"u8.ToArray(), "application/json", path.StartsWith("/admin", StringComparison.Ordinal) || path.StartsWith("/dashboard", StringComparison.Ordinal)));
            }
        }
    }

    // ---------- JSON manipulation ----------

    /// <summary>A value written into the output as it is (raw JSON text or bytes) in place of a placeholder.</summary>
    private sealed class RawValue(byte[] bytes)
    {
        public byte[] Bytes { get; } = bytes;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<JsonNode, RawValue> RawValues = [];

    private static JsonNode Raw(string json) => RawBytes(Encoding.UTF8.GetBytes(json));

    private static JsonNode RawBytes(byte[] bytes)
    {
        var placeholder = JsonValue.Create("\u0001raw" + Guid.NewGuid().ToString("N"))!;
        RawValues.Add(placeholder, new RawValue(bytes));
        return placeholder;
    }

    private static JsonObject Parse(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static JsonObject Fixture(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Switchyard.sln")))
        {
            dir = dir.Parent;
        }

        var file = Path.Combine(dir!.FullName, "tests", "fixtures", name.Contains('/', StringComparison.Ordinal) ? name : "claude-code/" + name);
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(file))!;
        return json["body"] is JsonObject body ? (JsonObject)body.DeepClone() : json;
    }

    /// <summary>Every (parent, key, JSONPath) in the tree, the root's children first.</summary>
    private static List<(JsonNode? Value, object Key, string Path)> Slots(JsonObject root)
    {
        var slots = new List<(JsonNode?, object, string)>();
        var queue = new Queue<(JsonNode Node, string Path)>();
        queue.Enqueue((root, "$"));
        while (queue.Count > 0)
        {
            var (node, path) = queue.Dequeue();
            if (node is JsonObject o)
            {
                foreach (var (k, v) in o)
                {
                    var child = $"{path}.{k}";
                    slots.Add((v, k, child));
                    if (v is not null)
                    {
                        queue.Enqueue((v, child));
                    }
                }
            }
            else if (node is JsonArray a)
            {
                for (var i = 0; i < a.Count; i++)
                {
                    var child = $"{path}[{i}]";
                    slots.Add((a[i], i, child));
                    if (a[i] is { } v)
                    {
                        queue.Enqueue((v, child));
                    }
                }
            }
        }

        return slots;
    }

    private static List<string> Objects(JsonObject root) =>
        ["$", .. Slots(root).Where(s => s.Value is JsonObject o && o.Count > 0).Select(s => s.Path)];

    private static List<T> Sample<T>(List<T> items, Random r)
    {
        if (items.Count <= MaxSlotsPerBase)
        {
            return items;
        }

        // Breadth-first order puts the top-level slots first: keep them, sample the rest.
        var head = items.Take(MaxSlotsPerBase / 2).ToList();
        var rest = items.Skip(head.Count).OrderBy(_ => r.Next()).Take(MaxSlotsPerBase - head.Count);
        return [.. head, .. rest];
    }

    /// <summary>The node at a JSONPath made of <c>.name</c> and <c>[i]</c> steps (names without dots or brackets).</summary>
    private static (JsonNode Parent, object Key) Locate(JsonNode root, string path)
    {
        var steps = new List<object>();
        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                steps.Add(path[(i + 1)..end]);
                i = end;
            }
            else
            {
                var end = path.IndexOf(']', i);
                steps.Add(int.Parse(path[(i + 1)..end], System.Globalization.CultureInfo.InvariantCulture));
                i = end + 1;
            }
        }

        var node = root;
        for (var s = 0; s < steps.Count - 1; s++)
        {
            node = steps[s] is string name ? node[name]! : node[(int)steps[s]]!;
        }

        return (node, steps[^1]);
    }

    private static byte[] Mutate(JsonObject baseBody, string path, Func<JsonNode?, JsonNode?> change)
    {
        var copy = (JsonObject)baseBody.DeepClone();
        var (parent, key) = Locate(copy, path);
        if (parent is JsonObject o)
        {
            var name = (string)key;
            o[name] = change(o[name]?.DeepClone());
        }
        else
        {
            var a = (JsonArray)parent;
            a[(int)key] = change(a[(int)key]?.DeepClone());
        }

        return Render(copy);
    }

    private static byte[] Remove(JsonObject baseBody, string path)
    {
        var copy = (JsonObject)baseBody.DeepClone();
        var (parent, key) = Locate(copy, path);
        if (parent is JsonObject o)
        {
            o.Remove((string)key);
        }
        else
        {
            ((JsonArray)parent).RemoveAt((int)key);
        }

        return Render(copy);
    }

    /// <summary>The object at <paramref name="objectPath"/> with one of its keys written twice, the second time with another value.</summary>
    private static byte[] DuplicateKey(JsonObject baseBody, string objectPath, Random r)
    {
        var copy = (JsonObject)baseBody.DeepClone();
        var target = objectPath == "$" ? copy : (JsonObject)(Locate(copy, objectPath) is var (parent, key) && parent is JsonObject o ? o[(string)key]! : parent[(int)key]!);
        var names = target.Select(p => p.Key).ToList();
        var name = names[r.Next(names.Count)];
        var placeholder = "\u0002dup" + Guid.NewGuid().ToString("N");
        target[placeholder] = WrongType(target[name], r) ?? "other";
        var bytes = Render(copy);
        return Replace(bytes, JsonSerializer.SerializeToUtf8Bytes(placeholder), JsonSerializer.SerializeToUtf8Bytes(name));
    }

    private static JsonNode? WrongType(JsonNode? original, Random r)
    {
        JsonNode?[] candidates = original switch
        {
            JsonObject => ["text", 1, true, new JsonArray(), null],
            JsonArray => ["text", 0, false, new JsonObject(), new JsonArray(1, "x", null)],
            JsonValue v when v.GetValueKind() == JsonValueKind.String => [42, -1.5, true, new JsonArray(), new JsonObject(), new JsonObject { ["type"] = "text" }],
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => ["1", "", true, new JsonArray(), new JsonObject(), 1.5],
            JsonValue => ["true", 1, new JsonArray(), new JsonObject()],
            _ => ["x", 1, new JsonObject()],
        };
        return candidates[r.Next(candidates.Length)]?.DeepClone();
    }

    /// <summary>Serialises <paramref name="node"/> and puts the raw values in place of their placeholders.</summary>
    private static byte[] Render(JsonNode node)
    {
        var bytes = Encoding.UTF8.GetBytes(node.ToJsonString());
        foreach (var value in Descendants(node))
        {
            if (RawValues.TryGetValue(value, out var raw))
            {
                bytes = Replace(bytes, JsonSerializer.SerializeToUtf8Bytes(value.GetValue<string>()), raw.Bytes);
            }
        }

        return bytes;
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children)
        {
            if (child is not null)
            {
                foreach (var descendant in Descendants(child))
                {
                    yield return descendant;
                }
            }
        }
    }

    private static byte[] Replace(byte[] bytes, byte[] find, byte[] with)
    {
        var at = bytes.AsSpan().IndexOf(find);
        return at < 0 ? bytes : [.. bytes.AsSpan(0, at), .. with, .. bytes.AsSpan(at + find.Length)];
    }
}
