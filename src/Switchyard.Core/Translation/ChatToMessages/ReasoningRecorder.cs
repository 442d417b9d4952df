using System.Text;
using System.Text.Json;
using Switchyard.Anthropic;
using Switchyard.Memory;

namespace Switchyard.Translation.ChatToMessages;

/// <summary>
/// How Anthropic thinking blocks survive a round trip through an OpenAI-format client, which keeps only the
/// <c>reasoning_content</c> text (or drops it).
/// </summary>
/// <remarks>
/// <para>The client sees the texts of a message's thinking blocks joined with <see cref="Separator"/> as
/// <c>reasoning_content</c>. Stored in <see cref="IReasoningMemory"/>:</para>
/// <list type="bullet">
/// <item>each signed thinking block under <see cref="ReasoningKeys.ForReasoningText"/> of its own text, with its signature;</item>
/// <item>when a message has more than one thinking block, or <c>redacted_thinking</c> blocks, the joined text under
/// <see cref="ReasoningKeys.ForReasoningText"/> with a composite signature: <see cref="CompositePrefix"/> followed by a
/// JSON array of the blocks as Anthropic sent them (<c>{"type":"thinking","thinking","signature"}</c> or
/// <c>{"type":"redacted_thinking","data"}</c>), so every block is replayed exactly;</item>
/// <item>when the message has tool calls, the same entry (plain or composite) under <see cref="ReasoningKeys.ForToolCalls"/>
/// of its tool call ids, for clients that drop <c>reasoning_content</c>.</item>
/// </list>
/// </remarks>
internal sealed class ReasoningRecorder
{
    /// <summary>Marks a composite signature.</summary>
    public const string CompositePrefix = "sy-blocks:";

    /// <summary>Joins the texts of several thinking blocks into one <c>reasoning_content</c>.</summary>
    public const string Separator = "\n\n";

    private readonly List<ContentBlockParam> _blocks = [];
    private readonly StringBuilder _joined = new();

    /// <summary>The joined text of the thinking blocks, as the client sees it.</summary>
    public string Reasoning => _joined.ToString();

    /// <summary>Adds a thinking block.</summary>
    public void AddThinking(string text, string? signature)
    {
        if (text.Length > 0)
        {
            if (_joined.Length > 0)
            {
                _joined.Append(Separator);
            }

            _joined.Append(text);
        }

        // An unsigned block cannot be replayed to Anthropic; it is shown but not remembered.
        if (!string.IsNullOrEmpty(signature))
        {
            _blocks.Add(new ThinkingBlockParam(text, signature));
        }
    }

    /// <summary>Adds a <c>redacted_thinking</c> block.</summary>
    public void AddRedacted(string data) => _blocks.Add(new RedactedThinkingBlockParam(data));

    /// <summary>Stores the blocks in <paramref name="memory"/> (see the class remarks).</summary>
    public void Remember(IReasoningMemory memory, IReadOnlyList<string> toolCallIds)
    {
        if (_blocks.Count == 0)
        {
            return;
        }

        foreach (var block in _blocks)
        {
            if (block is ThinkingBlockParam { Thinking.Length: > 0 } thinking)
            {
                memory.Remember(ReasoningKeys.ForReasoningText(thinking.Thinking), new ReasoningEntry(thinking.Thinking, thinking.Signature));
            }
        }

        var reasoning = Reasoning;
        ReasoningEntry entry;
        if (_blocks is [ThinkingBlockParam single])
        {
            entry = new ReasoningEntry(reasoning, single.Signature);
        }
        else
        {
            entry = new ReasoningEntry(reasoning, CompositePrefix + Encode(_blocks));
            if (reasoning.Length > 0)
            {
                memory.Remember(ReasoningKeys.ForReasoningText(reasoning), entry);
            }
        }

        if (toolCallIds.Count > 0)
        {
            memory.Remember(ReasoningKeys.ForToolCalls(toolCallIds), entry);
        }
    }

    /// <summary>
    /// Finds the blocks to replay for an assistant message: by its <c>reasoning_content</c> first, then by its tool
    /// call ids. Entries without a signature are never replayed (Anthropic rejects unsigned thinking blocks).
    /// </summary>
    public static bool TryRecall(IReasoningMemory memory, string? reasoning, IReadOnlyList<string> toolCallIds, out List<ContentBlockParam> blocks)
    {
        if (!string.IsNullOrEmpty(reasoning)
            && memory.TryRecall(ReasoningKeys.ForReasoningText(reasoning), out var entry)
            && string.Equals(entry.Reasoning, reasoning, StringComparison.Ordinal)
            && TryDecode(entry, out blocks))
        {
            return true;
        }

        if (toolCallIds.Count > 0
            && memory.TryRecall(ReasoningKeys.ForToolCalls(toolCallIds), out entry)
            && TryDecode(entry, out blocks))
        {
            return true;
        }

        blocks = [];
        return false;
    }

    private static bool TryDecode(ReasoningEntry entry, out List<ContentBlockParam> blocks)
    {
        blocks = [];
        if (string.IsNullOrEmpty(entry.Signature))
        {
            return false;
        }

        if (!entry.Signature.StartsWith(CompositePrefix, StringComparison.Ordinal))
        {
            blocks.Add(new ThinkingBlockParam(entry.Reasoning, entry.Signature));
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(entry.Signature.AsMemory(CompositePrefix.Length));
            foreach (var block in document.RootElement.EnumerateArray())
            {
                var type = ChatJson.GetString(block, "type");
                if (type == "redacted_thinking" && ChatJson.GetString(block, "data") is { } data)
                {
                    blocks.Add(new RedactedThinkingBlockParam(data));
                }
                else if (type == "thinking" && ChatJson.GetString(block, "thinking") is { } text
                    && ChatJson.GetString(block, "signature") is { Length: > 0 } signature)
                {
                    blocks.Add(new ThinkingBlockParam(text, signature));
                }
                else
                {
                    blocks.Clear();
                    return false;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            blocks.Clear();
            return false;
        }

        return blocks.Count > 0;
    }

    private static string Encode(List<ContentBlockParam> blocks) =>
        Encoding.UTF8.GetString(ChatJson.Write<IReadOnlyList<ContentBlockParam>>(blocks, static (writer, list) =>
            JsonSerializer.Serialize(writer, list, AnthropicJsonContext.Default.IReadOnlyListContentBlockParam)));
}
