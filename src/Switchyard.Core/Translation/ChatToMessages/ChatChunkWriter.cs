using System.Text.Json;
using Switchyard.Accounting;

namespace Switchyard.Translation.ChatToMessages;

/// <summary>
/// Writes the Chat Completions chunks of one stream in DeepSeek's shape: every chunk carries the stream's id,
/// <c>created</c> and model, one choice with its <c>delta</c>, <c>logprobs:null</c> and <c>finish_reason</c>; with
/// <c>include_usage</c>, <c>"usage":null</c> on every chunk but the final ones. Written by hand: for chunks this is
/// measurably faster than serializing the OpenAI records (docs/benchmarks.md), and streams are made of chunks.
/// </summary>
/// <param name="includeUsage">The client's <c>stream_options.include_usage</c>.</param>
internal sealed class ChatChunkWriter(bool includeUsage)
{
    /// <summary>The completion id shared by all chunks.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The model named in every chunk.</summary>
    public string Model { get; set; } = string.Empty;

    /// <summary>Unix seconds, the same in every chunk.</summary>
    public long Created { get; set; }

    /// <summary>The first chunk: <c>{role:"assistant", content:""}</c>.</summary>
    public byte[] Role() => Chunk(0, static (w, _) =>
    {
        w.WriteString("role", "assistant");
        w.WriteString("content", string.Empty);
    });

    /// <summary>A chunk of answer text.</summary>
    public byte[] Content(string text) => Chunk(text, static (w, t) => w.WriteString("content", t));

    /// <summary>A chunk of reasoning.</summary>
    public byte[] Reasoning(string text) => Chunk(text, static (w, t) => w.WriteString("reasoning_content", t));

    /// <summary>The start of tool call <paramref name="index"/>: its id, name and empty arguments.</summary>
    public byte[] ToolCallStart(int index, string id, string name) => Chunk((index, id, name), static (w, call) =>
    {
        w.WriteStartArray("tool_calls");
        w.WriteStartObject();
        w.WriteNumber("index", call.index);
        w.WriteString("id", call.id);
        w.WriteString("type", "function");
        w.WriteStartObject("function");
        w.WriteString("name", call.name);
        w.WriteString("arguments", string.Empty);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
    });

    /// <summary>A fragment of tool call <paramref name="index"/>'s arguments.</summary>
    public byte[] ToolArguments(int index, string fragment) => Chunk((index, fragment), static (w, call) =>
    {
        w.WriteStartArray("tool_calls");
        w.WriteStartObject();
        w.WriteNumber("index", call.index);
        w.WriteStartObject("function");
        w.WriteString("arguments", call.fragment);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
    });

    /// <summary>The final chunk: an empty delta, the finish reason and the usage (DeepSeek always puts usage there).</summary>
    public byte[] Final(string finishReason, TokenUsage usage, bool withReasoning) =>
        Chunk(0, static (_, _) => { }, finishReason, (usage, withReasoning));

    /// <summary>OpenAI's usage-only chunk after the final one (<c>choices:[]</c>), for <c>include_usage</c>.</summary>
    public byte[] UsageOnly(TokenUsage usage, bool withReasoning) => ChatJson.Write((self: this, usage, withReasoning), static (w, s) =>
    {
        s.self.WriteHeader(w);
        w.WriteStartArray("choices");
        w.WriteEndArray();
        w.WritePropertyName("usage");
        s.usage.WriteChat(w, s.withReasoning);
        w.WriteEndObject();
    });

    private byte[] Chunk<TState>(TState state, Action<Utf8JsonWriter, TState> delta, string? finishReason = null, (TokenUsage Usage, bool WithReasoning)? usage = null) =>
        ChatJson.Write((self: this, state, delta, finishReason, usage), static (w, s) =>
        {
            s.self.WriteHeader(w);
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("delta");
            s.delta(w, s.state);
            w.WriteEndObject();
            w.WriteNull("logprobs");
            if (s.finishReason is null)
            {
                w.WriteNull("finish_reason");
            }
            else
            {
                w.WriteString("finish_reason", s.finishReason);
            }

            w.WriteEndObject();
            w.WriteEndArray();
            if (s.usage is { } u)
            {
                w.WritePropertyName("usage");
                u.Usage.WriteChat(w, u.WithReasoning);
            }
            else if (s.self.IncludeUsage)
            {
                w.WriteNull("usage");
            }

            w.WriteEndObject();
        });

    private bool IncludeUsage => includeUsage;

    private void WriteHeader(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("id", Id);
        w.WriteString("object", "chat.completion.chunk");
        w.WriteNumber("created", Created);
        w.WriteString("model", Model);
    }
}
