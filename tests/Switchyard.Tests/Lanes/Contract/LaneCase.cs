using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Lanes;
using Switchyard.Tests.Fakes;

namespace Switchyard.Tests.Lanes.Contract;

/// <summary>Token counts as a client was told them (or as the ledger has them).</summary>
public readonly record struct Tokens(int Input, int CacheHit, int Output, int Reasoning);

/// <summary>
/// One lane as the contract suite drives it: how its client asks, how its upstream fake is scripted, and how its
/// client's answer is read. The same cases run on every lane through these.
/// </summary>
public sealed record LaneCase(string Lane, ClientFormat Client, bool AnthropicUpstream, bool Stream)
{
    /// <summary>The upstream's reasoning tokens (what a DeepSeek-format fake reports).</summary>
    public const int UpstreamReasoning = 12;

    private static readonly LaneCase[] All =
    [
        new("messages→chat", ClientFormat.Anthropic, false, false), new("messages→chat", ClientFormat.Anthropic, false, true),
        new("messages→messages", ClientFormat.Anthropic, true, false), new("messages→messages", ClientFormat.Anthropic, true, true),
        new("chat→chat", ClientFormat.OpenAI, false, false), new("chat→chat", ClientFormat.OpenAI, false, true),
        new("chat→messages", ClientFormat.OpenAI, true, false), new("chat→messages", ClientFormat.OpenAI, true, true),
        new("responses→chat", ClientFormat.OpenAI, false, false), new("responses→chat", ClientFormat.OpenAI, false, true),
        new("responses→messages", ClientFormat.OpenAI, true, false), new("responses→messages", ClientFormat.OpenAI, true, true),
    ];

    /// <summary>Every (lane, stream) pair, for <c>MemberData</c>.</summary>
    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var lane in All)
        {
            data.Add(lane.Lane, lane.Stream);
        }

        return data;
    }

    /// <summary>The case of <paramref name="lane"/>.</summary>
    public static LaneCase Get(string lane, bool stream) => All.Single(c => c.Lane == lane && c.Stream == stream);

    /// <summary>Whether the client speaks the Responses API (an OpenAI format with its own request, answer and stream shapes).</summary>
    public bool Responses => Lane.StartsWith("responses", StringComparison.Ordinal);

    /// <summary>The requested model: served by the fake of this lane's upstream format.</summary>
    public string Model => AnthropicUpstream ? "claude-sonnet-4-5" : "deepseek-v4-flash";

    /// <summary>The client's path.</summary>
    public string Path => Responses ? "/v1/responses" : Client == ClientFormat.Anthropic ? "/v1/messages" : "/v1/chat/completions";

    /// <summary>A plain request body.</summary>
    public string Body(string text = "Hello")
    {
        if (Responses)
        {
            return new JsonObject { ["model"] = Model, ["input"] = text, ["stream"] = Stream }.ToJsonString();
        }

        var body = new JsonObject
        {
            ["model"] = Model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = text }),
        };
        if (Client == ClientFormat.Anthropic)
        {
            body["max_tokens"] = 200;
        }

        if (Stream)
        {
            body["stream"] = true;
            if (Client == ClientFormat.OpenAI)
            {
                body["stream_options"] = new JsonObject { ["include_usage"] = true };
            }
        }

        return body.ToJsonString();
    }

    /// <summary>Queues an answer that reports <paramref name="usage"/> (cache misses, hits, output; reasoning on OpenAI-format upstreams).</summary>
    public void EnqueueAnswer(LaneHarness harness, int miss, int hit, int output, int keepAlives = 0, TimeSpan gap = default)
    {
        if (!AnthropicUpstream)
        {
            harness.DeepSeek.Enqueue(new FakeReply
            {
                Content = "The answer.",
                Reasoning = "Thinking it over.",
                PromptTokens = miss + hit,
                CacheHitTokens = hit,
                CompletionTokens = output,
                ReasoningTokens = UpstreamReasoning,
                KeepAliveCount = keepAlives,
                ChunkDelay = gap,
                ChunkSize = 100,
            });
            return;
        }

        var pieces = new List<byte[]>();
        var keepAlive = Stream ? ": keep-alive\n\n"u8.ToArray() : "\n"u8.ToArray();
        pieces.AddRange(Enumerable.Repeat(keepAlive, keepAlives));
        var reply = Stream
            ? FakeAnthropicReply.Sse(AnthropicScripts.TextStream("claude-sonnet-4-5", "The answer.", input: miss, output: output, cacheRead: hit))
            : FakeAnthropicReply.Json(AnthropicScripts.Message("claude-sonnet-4-5", """[{"type":"text","text":"The answer."}]""", "end_turn", input: miss, output: output, cacheRead: hit));
        pieces.AddRange(reply.Pieces);
        harness.Anthropic.Enqueue(reply with { Pieces = pieces, PieceDelay = keepAlives > 0 ? gap : reply.PieceDelay });
    }

    /// <summary>Queues an upstream error: <paramref name="status"/> (503 means overloaded: 529 on Anthropic-format upstreams).</summary>
    public void EnqueueError(LaneHarness harness, int status, string? retryAfter = null)
    {
        var headers = retryAfter is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["retry-after"] = retryAfter };
        if (!AnthropicUpstream)
        {
            harness.DeepSeek.Enqueue(FakeReply.Error(status, headers: headers));
            return;
        }

        var (code, type) = status switch
        {
            429 => (429, "rate_limit_error"),
            503 => (529, "overloaded_error"),
            _ => (status, "api_error"),
        };
        harness.Anthropic.Enqueue(FakeAnthropicReply.Error(code, type, "Upstream trouble.", headers));
    }

    /// <summary>Queues an answer that breaks off after it started (a stream after its first events, a JSON body halfway).</summary>
    public void EnqueueCut(LaneHarness harness)
    {
        if (!AnthropicUpstream)
        {
            harness.DeepSeek.Enqueue(new FakeReply { Content = "The answer, cut short.", ChunkSize = 4, CutAfterChunks = 3 });
            return;
        }

        var reply = Stream
            ? FakeAnthropicReply.Sse(AnthropicScripts.TextStream("claude-sonnet-4-5", "The answer, cut short."))
            : FakeAnthropicReply.Json(AnthropicScripts.Message("claude-sonnet-4-5", """[{"type":"text","text":"The answer, cut short."}]""", "end_turn"));
        var pieces = Stream ? reply.Pieces : [.. reply.Pieces[0].Chunk(reply.Pieces[0].Length / 2)];
        harness.Anthropic.Enqueue(reply with { Pieces = pieces, CutAfterPieces = Stream ? 4 : 1 });
    }

    /// <summary>Queues an answer that takes far longer than any test waits (a slow stream, or a JSON answer that never comes).</summary>
    public void EnqueueSlow(LaneHarness harness)
    {
        if (!AnthropicUpstream)
        {
            harness.DeepSeek.Enqueue(Stream
                ? new FakeReply { Content = new string('x', 400), ChunkSize = 2, ChunkDelay = TimeSpan.FromMilliseconds(100) }
                : new FakeReply { StallBeforeFirstByte = TimeSpan.FromSeconds(30) });
            return;
        }

        var events = AnthropicScripts.TextStream("claude-sonnet-4-5", new string('x', 400));
        harness.Anthropic.Enqueue(Stream
            ? FakeAnthropicReply.Sse(events) with { PieceDelay = TimeSpan.FromSeconds(1) }
            : FakeAnthropicReply.Json(" ") with
            {
                Pieces = [" "u8.ToArray(), System.Text.Encoding.UTF8.GetBytes(AnthropicScripts.Message("claude-sonnet-4-5", "[]", "end_turn"))],
                PieceDelay = TimeSpan.FromSeconds(30),
            });
    }

    /// <summary>Requests this lane's fake has received.</summary>
    public int Received(LaneHarness harness) => AnthropicUpstream ? harness.Anthropic.Requests.Count : harness.DeepSeek.Requests.Count;

    /// <summary>Upstream requests of this lane's fake whose client (the gateway) went away.</summary>
    public int Cancelled(LaneHarness harness) => AnthropicUpstream ? harness.Anthropic.CancelledRequests : harness.DeepSeek.CancelledRequests;

    /// <summary>The usage the client was told, and the reasoning tokens the ledger should hold for it.</summary>
    public Tokens ClientUsage(LaneAnswer answer)
    {
        if (Client == ClientFormat.Anthropic)
        {
            var usage = new JsonObject();
            if (!Stream)
            {
                Merge(usage, JsonNode.Parse(answer.Body)!["usage"]);
            }
            else
            {
                foreach (var data in DataLines(answer.Body))
                {
                    var node = JsonNode.Parse(data)!;
                    Merge(usage, (string?)node["type"] == "message_start" ? node["message"]?["usage"] : node["usage"]);
                }
            }

            var miss = Int(usage["input_tokens"]) + Int(usage["cache_creation_input_tokens"]);
            var hit = Int(usage["cache_read_input_tokens"]);
            // Anthropic clients are not told reasoning tokens: the ledger keeps what the upstream reported.
            return new Tokens(miss + hit, hit, Int(usage["output_tokens"]), AnthropicUpstream ? 0 : UpstreamReasoning);
        }

        if (Responses)
        {
            // The usage of the JSON answer, or of the stream's last event (response.completed).
            var response = Stream ? JsonNode.Parse(DataLines(answer.Body).Last())!["response"] : JsonNode.Parse(answer.Body);
            var usage = response?["usage"];
            Assert.NotNull(usage);
            return new Tokens(Int(usage!["input_tokens"]), Int(usage["input_tokens_details"]?["cached_tokens"]),
                Int(usage["output_tokens"]), Int(usage["output_tokens_details"]?["reasoning_tokens"]));
        }

        JsonNode? chat = null;
        if (!Stream)
        {
            chat = JsonNode.Parse(answer.Body)!["usage"];
        }
        else
        {
            foreach (var data in DataLines(answer.Body))
            {
                if (data != "[DONE]" && JsonNode.Parse(data)!["usage"] is JsonObject usage)
                {
                    chat = usage;
                }
            }
        }

        Assert.NotNull(chat);
        return new Tokens(Int(chat!["prompt_tokens"]), Int(chat["prompt_cache_hit_tokens"] ?? chat["prompt_tokens_details"]?["cached_tokens"]),
            Int(chat["completion_tokens"]), Int(chat["completion_tokens_details"]?["reasoning_tokens"]));
    }

    /// <summary>The error the client got: its type, from the client format's own envelope (or stream error event).</summary>
    public string ErrorType(LaneAnswer answer)
    {
        var body = answer.Body;
        var streamed = answer.Header("content-type")?.StartsWith("text/event-stream", StringComparison.Ordinal) == true;
        if (streamed && Responses)
        {
            // A Responses stream ends in an error event (its code, OpenAI's Responses error codes) and response.failed.
            var events = DataLines(body).Select(d => JsonNode.Parse(d)!).ToList();
            Assert.Equal("response.failed", (string?)events[^1]["type"]);
            Assert.Equal("failed", (string?)events[^1]["response"]?["status"]);
            var error = events.Last(e => (string?)e["type"] == "error");
            Assert.NotNull(error["message"]);
            Assert.Equal((string?)error["code"], (string?)events[^1]["response"]?["error"]?["code"]);
            return (string?)error["code"] ?? throw new InvalidOperationException("No error code in " + body);
        }

        if (streamed)
        {
            body = DataLines(body).Last(d => d.Contains("\"error\"", StringComparison.Ordinal));
        }

        var root = JsonNode.Parse(body)!;
        if (Client == ClientFormat.Anthropic)
        {
            Assert.Equal("error", (string?)root["type"]);
        }
        else
        {
            Assert.NotNull(root["error"]?["message"]);
            Assert.True(root["error"]!.AsObject().ContainsKey("param"));
            Assert.True(root["error"]!.AsObject().ContainsKey("code"));
        }

        return (string?)root["error"]?["type"] ?? throw new InvalidOperationException("No error type in " + body);
    }

    /// <summary>Whether the answer reports an error anywhere (a Responses object always has an <c>error</c> field, null when there is none).</summary>
    public bool ReportsError(LaneAnswer answer)
    {
        if (!Responses)
        {
            return answer.Body.Contains("\"error\"", StringComparison.Ordinal);
        }

        var objects = Stream ? DataLines(answer.Body).Select(d => JsonNode.Parse(d)!).ToList() : [JsonNode.Parse(answer.Body)!];
        return objects.Any(o => (string?)o["type"] == "error" || o["error"] is JsonObject || o["response"]?["error"] is JsonObject);
    }

    /// <summary>The answer's text, joined from its stream's deltas when it is a stream.</summary>
    public string Text(LaneAnswer answer)
    {
        if (Responses)
        {
            var parts = Stream
                ? DataLines(answer.Body).Select(d => JsonNode.Parse(d)!).Where(e => (string?)e["type"] == "response.output_text.delta").Select(e => (string?)e["delta"])
                : JsonNode.Parse(answer.Body)!["output"]!.AsArray().Where(i => (string?)i!["type"] == "message")
                    .SelectMany(i => i!["content"]!.AsArray().Select(c => (string?)c!["text"]));
            return string.Concat(parts);
        }

        if (!Stream)
        {
            var root = JsonNode.Parse(answer.Body)!;
            return Client == ClientFormat.Anthropic
                ? string.Concat(root["content"]!.AsArray().Select(b => (string?)b!["text"] ?? string.Empty))
                : (string?)root["choices"]![0]!["message"]!["content"] ?? string.Empty;
        }

        var text = new System.Text.StringBuilder();
        foreach (var data in DataLines(answer.Body).Where(d => d != "[DONE]"))
        {
            var node = JsonNode.Parse(data)!;
            text.Append(Client == ClientFormat.Anthropic
                ? (string?)node["delta"]?["text"]
                : node["choices"] is JsonArray { Count: > 0 } choices ? (string?)choices[0]!["delta"]?["content"] : null);
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Lane} ({(Stream ? "stream" : "json")})";

    /// <summary>The <c>data:</c> payloads of an event stream.</summary>
    public static IEnumerable<string> DataLines(string sse) =>
        sse.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..].Trim());

    private static void Merge(JsonObject into, JsonNode? from)
    {
        if (from is not JsonObject source)
        {
            return;
        }

        foreach (var (name, value) in source)
        {
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
            {
                into[name] = v.GetValue<int>();
            }
        }
    }

    private static int Int(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? value.GetValue<int>() : 0;
}
