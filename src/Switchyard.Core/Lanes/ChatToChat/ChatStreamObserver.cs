using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchyard.Accounting;
using Switchyard.Memory;

namespace Switchyard.Lanes.ChatToChat;

/// <summary>
/// Watches a passed-through Chat Completions answer, streamed chunk by chunk or whole (a completion reads as one
/// chunk whose choices carry a <c>message</c> instead of a <c>delta</c>): collects reasoning and tool call ids (for the
/// reasoning memory), the finish reason and the usage, and builds OpenAI's usage-only chunk when the upstream
/// (DeepSeek) sends none.
/// </summary>
public sealed class ChatStreamObserver
{
    private readonly StringBuilder _reasoning = new();
    private readonly List<string> _toolCallIds = [];
    private string? _id;
    private long _created;
    private string? _model;
    private byte[]? _usage;
    private bool _sawUsageOnlyChunk;

    /// <summary>The reasoning seen so far.</summary>
    public string Reasoning => _reasoning.ToString();

    /// <summary>True once a chunk carried reasoning, text or a tool call.</summary>
    public bool HasContent { get; private set; }

    /// <summary>The finish reason of the last chunk that had one.</summary>
    public string? FinishReason { get; private set; }

    /// <summary>The usage, once seen.</summary>
    public TokenUsage? Usage { get; private set; }

    /// <summary>The ids of the tool calls seen.</summary>
    public IReadOnlyList<string> ToolCallIds => _toolCallIds;

    /// <summary>Feeds one chunk's JSON, or a whole completion's; returns whether it carried generated content (reasoning, text or a tool call).</summary>
    /// <exception cref="JsonException">The chunk is not one well-formed JSON value.</exception>
    /// <remarks>
    /// A forward-only scan: this runs once per streamed chunk and once per relayed completion, and building a document
    /// of each cost a large part of the relay's CPU. Only the strings kept (ids, reasoning) are decoded.
    /// </remarks>
    public bool Observe(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        var content = false;
        var hasChoices = false;
        TokenUsage? usage = null;
        var usageStart = -1L;
        var usageEnd = -1L;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                if (_id is null && reader.TokenType == JsonTokenType.String)
                {
                    _id = reader.GetString();
                }
            }
            else if (reader.ValueTextEquals("created"u8))
            {
                reader.Read();
                if (_created == 0 && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var seconds))
                {
                    _created = seconds;
                }
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                if (_model is null && reader.TokenType == JsonTokenType.String)
                {
                    _model = reader.GetString();
                }
            }
            else if (reader.ValueTextEquals("choices"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        hasChoices = true;
                        content |= ObserveChoice(ref reader);
                    }
                }
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    usageStart = reader.TokenStartIndex;
                    usage = TokenUsage.ReadChat(ref reader);
                    usageEnd = reader.BytesConsumed;
                }
            }
            else
            {
                reader.Read();
            }

            reader.Skip();
        }

        if (usage is not null)
        {
            // Kept as the upstream wrote it, for the usage-only chunk.
            _usage = data[(int)usageStart..(int)usageEnd].ToArray();
            Usage = usage;
            _sawUsageOnlyChunk |= !hasChoices;
        }

        HasContent |= content;
        return content;
    }

    /// <summary>One element of <c>choices</c>, the reader on its first token; returns whether it carried content.</summary>
    private bool ObserveChoice(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        var content = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("finish_reason"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    FinishReason = FinishReasonOf(ref reader);
                }
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                // A FIM completion chunk (/beta/completions) carries its text here.
                reader.Read();
                content |= reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0;
            }
            else if (reader.ValueTextEquals("delta"u8) || reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    content |= ObserveDelta(ref reader);
                }
            }
            else
            {
                reader.Read();
            }

            reader.Skip();
        }

        return content;
    }

    /// <summary>A choice's <c>delta</c> (or a completion's <c>message</c>) object, the reader on its start; returns whether it carried content.</summary>
    private bool ObserveDelta(ref Utf8JsonReader reader)
    {
        var content = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("reasoning_content"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0)
                {
                    AppendReasoning(ref reader);
                    content = true;
                }
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                content |= reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0;
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        content = true;
                        ObserveToolCall(ref reader);
                    }
                }
            }
            else
            {
                reader.Read();
            }

            reader.Skip();
        }

        return content;
    }

    private void ObserveToolCall(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("id"u8);
            reader.Read();
            if (isId && reader.TokenType == JsonTokenType.String)
            {
                _toolCallIds.Add(reader.GetString()!);
            }

            reader.Skip();
        }
    }

    /// <summary>Appends a reasoning fragment without making a string of it (there is one per reasoning chunk).</summary>
    private void AppendReasoning(ref Utf8JsonReader reader)
    {
        // Unescaped, a JSON string has at most as many UTF-16 units as it has bytes.
        var length = reader.ValueSpan.Length;
        char[]? rented = null;
        var chars = length <= 512 ? stackalloc char[length] : (rented = ArrayPool<char>.Shared.Rent(length));
        var written = reader.CopyString(chars);
        _reasoning.Append(chars[..written]);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static string FinishReasonOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("stop"u8) ? "stop"
        : reader.ValueTextEquals("length"u8) ? "length"
        : reader.ValueTextEquals("tool_calls"u8) ? "tool_calls"
        : reader.GetString()!;

    /// <summary>Remembers the reasoning of a turn that called tools, keyed by the calls' ids (clients that drop it get it back).</summary>
    public void RememberReasoning(IReasoningMemory memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        if (_toolCallIds.Count > 0 && _reasoning.Length > 0)
        {
            memory.Remember(ReasoningKeys.ForToolCalls(_toolCallIds), new ReasoningEntry(_reasoning.ToString()));
        }
    }

    /// <summary>OpenAI's final chunk with empty <c>choices</c> and the usage, unless the upstream sent one.</summary>
    public byte[]? UsageOnlyChunk()
    {
        if (_sawUsageOnlyChunk || _usage is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", _id ?? string.Empty);
            writer.WriteString("object", "chat.completion.chunk");
            writer.WriteNumber("created", _created);
            writer.WriteString("model", _model ?? string.Empty);
            writer.WriteStartArray("choices");
            writer.WriteEndArray();
            writer.WritePropertyName("usage");
            writer.WriteRawValue(_usage!, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
