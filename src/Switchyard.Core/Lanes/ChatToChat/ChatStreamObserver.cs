using System.Text;
using System.Text.Json;
using Switchyard.Accounting;

namespace Switchyard.Lanes.ChatToChat;

/// <summary>
/// Watches a passed-through Chat Completions stream: collects reasoning and tool call ids (for the reasoning
/// memory) and the usage, and builds OpenAI's usage-only chunk when the upstream (DeepSeek) sends none.
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

    /// <summary>Whether the last chunk observed carried content.</summary>
    private bool ChunkHasContent { get; set; }

    /// <summary>Feeds one chunk's JSON; returns whether it carried generated content (reasoning, text or a tool call).</summary>
    public bool Observe(ReadOnlySpan<byte> data)
    {
        ChunkHasContent = false;
        var reader = new Utf8JsonReader(data);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (_id is null && root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
        {
            _id = id.GetString();
        }

        if (_created == 0 && root.TryGetProperty("created", out var created) && created.ValueKind == JsonValueKind.Number && created.TryGetInt64(out var seconds))
        {
            _created = seconds;
        }

        if (_model is null && root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String)
        {
            _model = model.GetString();
        }

        var hasChoices = false;
        if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
        {
            foreach (var choice in choices.EnumerateArray())
            {
                hasChoices = true;
                if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
                {
                    FinishReason = finish.GetString();
                }

                if (choice.TryGetProperty("text", out var completionText) && completionText.ValueKind == JsonValueKind.String &&
                    completionText.GetString()!.Length > 0)
                {
                    // A FIM completion chunk (/beta/completions) carries its text here.
                    ChunkHasContent = true;
                }

                if (!choice.TryGetProperty("delta", out var delta) || delta.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (delta.TryGetProperty("reasoning_content", out var reasoning) && reasoning.ValueKind == JsonValueKind.String)
                {
                    var text = reasoning.GetString()!;
                    _reasoning.Append(text);
                    ChunkHasContent |= text.Length > 0;
                }

                if (delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && content.GetString()!.Length > 0)
                {
                    ChunkHasContent = true;
                }

                if (delta.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
                {
                    foreach (var call in calls.EnumerateArray())
                    {
                        ChunkHasContent = true;
                        if (call.TryGetProperty("id", out var callId) && callId.ValueKind == JsonValueKind.String)
                        {
                            _toolCallIds.Add(callId.GetString()!);
                        }
                    }
                }
            }
        }

        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            _usage = Encoding.UTF8.GetBytes(usage.GetRawText());
            Usage = TokenUsage.FromChat(usage);
            _sawUsageOnlyChunk |= !hasChoices;
        }

        HasContent |= ChunkHasContent;
        return ChunkHasContent;
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
