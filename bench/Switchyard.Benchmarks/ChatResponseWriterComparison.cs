// Hand-written Chat Completions JSON (as MessagesToChatResponseTranslator and MessagesToChatStreamTranslator write
// it) against source-generated records producing the same bytes, kept here only for the typed-writer decision on the
// response side (ChatResponseWriterProbe). Not part of Switchyard.
using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Switchyard.Accounting;

namespace Switchyard.Benchmarks.Legacy;

public sealed record TChunk(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("choices")] IReadOnlyList<TChunkChoice> Choices);

public sealed record TChunkChoice(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("delta")] TDelta Delta,
    [property: JsonPropertyName("logprobs"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] JsonElement? Logprobs,
    [property: JsonPropertyName("finish_reason"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? FinishReason);

public sealed record TDelta
{
    [JsonPropertyName("role")] public string? Role { get; init; }

    [JsonPropertyName("content")] public string? Content { get; init; }

    [JsonPropertyName("reasoning_content")] public string? ReasoningContent { get; init; }

    [JsonPropertyName("tool_calls")] public IReadOnlyList<TToolCall>? ToolCalls { get; init; }
}

public sealed record TToolCall(
    [property: JsonPropertyName("index")] int? Index,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("function")] TFunction Function);

public sealed record TFunction(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("arguments")] string? Arguments);

public sealed record TCompletion(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("choices")] IReadOnlyList<TChoice> Choices,
    [property: JsonPropertyName("usage")] TUsage Usage);

public sealed record TChoice(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("message")] TMessage Message,
    [property: JsonPropertyName("logprobs"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] JsonElement? Logprobs,
    [property: JsonPropertyName("finish_reason")] string FinishReason);

public sealed record TMessage(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("content"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Content,
    [property: JsonPropertyName("reasoning_content")] string? ReasoningContent,
    [property: JsonPropertyName("tool_calls")] IReadOnlyList<TToolCall>? ToolCalls);

public sealed record TUsage(
    [property: JsonPropertyName("prompt_tokens")] int PromptTokens,
    [property: JsonPropertyName("completion_tokens")] int CompletionTokens,
    [property: JsonPropertyName("total_tokens")] int TotalTokens,
    [property: JsonPropertyName("prompt_tokens_details")] TCached Details,
    [property: JsonPropertyName("prompt_cache_hit_tokens")] int Hit,
    [property: JsonPropertyName("prompt_cache_miss_tokens")] int Miss,
    [property: JsonPropertyName("completion_tokens_details")] TReasoning? Reasoning);

public sealed record TCached([property: JsonPropertyName("cached_tokens")] int CachedTokens);

public sealed record TReasoning([property: JsonPropertyName("reasoning_tokens")] int ReasoningTokens);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TChunk))]
[JsonSerializable(typeof(TCompletion))]
public sealed partial class ResponseBenchContext : JsonSerializerContext;

public static class ChatResponseWriterProbe
{
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly ResponseBenchContext Context = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });

    private static readonly JsonTypeInfo<TChunk> ChunkInfo = Context.TChunk;
    private static readonly JsonTypeInfo<TCompletion> CompletionInfo = Context.TCompletion;

    private const string Id = "chatcmpl-01XFDUDYJgAACzvnptvVoYEL";
    private const string Model = "claude-sonnet-4-5-20250929";
    private const string Text = "ext, nothing else in";
    private static readonly TokenUsage Usage = new(2113, 19840, 0, 611, 0);

    public static byte[] HandChunk(string text) => Write(text, static (w, t) =>
    {
        w.WriteStartObject();
        w.WriteString("id", Id);
        w.WriteString("object", "chat.completion.chunk");
        w.WriteNumber("created", 1_760_000_000);
        w.WriteString("model", Model);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("delta");
        w.WriteString("content", t);
        w.WriteEndObject();
        w.WriteNull("logprobs");
        w.WriteNull("finish_reason");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static byte[] TypedChunk(string text) => JsonSerializer.SerializeToUtf8Bytes(
        new TChunk(Id, "chat.completion.chunk", 1_760_000_000, Model, [new TChunkChoice(0, new TDelta { Content = text }, null, null)]), ChunkInfo);

    public static byte[] HandCompletion(string text, string reasoning) => Write((text, reasoning), static (w, s) =>
    {
        w.WriteStartObject();
        w.WriteString("id", Id);
        w.WriteString("object", "chat.completion");
        w.WriteNumber("created", 1_760_000_000);
        w.WriteString("model", Model);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        w.WriteString("content", s.text);
        w.WriteString("reasoning_content", s.reasoning);
        w.WriteStartArray("tool_calls");
        w.WriteStartObject();
        w.WriteString("id", "toolu_01A09q90qw90lq917835lq9");
        w.WriteString("type", "function");
        w.WriteStartObject("function");
        w.WriteString("name", "Bash");
        w.WriteString("arguments", """{"command":"git status --short","description":"Show the working tree status after writing out.txt"}""");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteNull("logprobs");
        w.WriteString("finish_reason", "tool_calls");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WritePropertyName("usage");
        Usage.WriteChat(w, withReasoning: false);
        w.WriteEndObject();
    });

    public static byte[] TypedCompletion(string text, string reasoning) => JsonSerializer.SerializeToUtf8Bytes(
        new TCompletion(Id, "chat.completion", 1_760_000_000, Model,
            [new TChoice(0, new TMessage("assistant", text, reasoning,
                [new TToolCall(null, "toolu_01A09q90qw90lq917835lq9", "function", new TFunction("Bash", """{"command":"git status --short","description":"Show the working tree status after writing out.txt"}"""))]), null, "tool_calls")],
            new TUsage(Usage.InputTokens, Usage.OutputTokens, Usage.InputTokens + Usage.OutputTokens, new TCached(Usage.CacheHitTokens), Usage.CacheHitTokens, Usage.CacheMissTokens, null)),
        CompletionInfo);

    private static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, Relaxed))
        {
            write(writer, state);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void Run()
    {
        using var message = JsonDocument.Parse(File.ReadAllBytes(ChatToMessagesBenchmarks.FixturePath("message-response.json")));
        var content = message.RootElement.GetProperty("content");
        var reasoning = content[0].GetProperty("thinking").GetString()!;
        var text = content[1].GetProperty("text").GetString()!;
        if (!HandChunk(Text).AsSpan().SequenceEqual(TypedChunk(Text)) || !HandCompletion(text, reasoning).AsSpan().SequenceEqual(TypedCompletion(text, reasoning)))
        {
            throw new InvalidOperationException("The writers disagree.");
        }

        ChatToMessagesWriterProbe.Measure("stream chunk (a text delta): Utf8JsonWriter vs source-generated", () => HandChunk(Text).Length, () => TypedChunk(Text).Length, 2000, 201);
        ChatToMessagesWriterProbe.Measure("completion body (thinking, text, a tool call): Utf8JsonWriter vs source-generated", () => HandCompletion(text, reasoning).Length, () => TypedCompletion(text, reasoning).Length, 500, 201);
    }
}
