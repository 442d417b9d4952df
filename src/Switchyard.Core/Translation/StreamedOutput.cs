using System.Text;
using Switchyard.Anthropic;
using Switchyard.OpenAI;

namespace Switchyard.Translation;

/// <summary>
/// What the upstream produced in one streamed message of <see cref="StreamTranslator"/>: the reasoning, the text and
/// how much of it reached the client. It is the prefix a continuation resends, and what output tokens are estimated
/// from when the upstream's usage is missing or does not apply (a stop sequence cut the message).
/// </summary>
/// <param name="countTokens">Counts the tokens of a text.</param>
internal sealed class StreamedOutput(Func<string, int> countTokens)
{
    private readonly StringBuilder _reasoning = new();
    // The upstream's text; what reached the client is always a prefix of it (stop-sequence matching only holds
    // back or cuts the tail), so its length is all that is kept rather than a second copy.
    private readonly StringBuilder _text = new();
    private int _emitted;
    private int _prefixTokens;

    /// <summary>The reasoning so far.</summary>
    public string Reasoning => _reasoning.ToString();

    /// <summary>The upstream's text so far.</summary>
    public string Text => _text.ToString();

    public void AddReasoning(string fragment) => _reasoning.Append(fragment);

    public void AddText(string fragment) => _text.Append(fragment);

    /// <summary>Notes that <paramref name="length"/> more characters of the text reached the client.</summary>
    public void MarkEmitted(int length) => _emitted += length;

    /// <summary>A continuation resends the reasoning and text as its prefix: their tokens are output, not input.</summary>
    public void BeginContinuation()
    {
        var prefix = Reasoning + Text;
        _prefixTokens = prefix.Length == 0 ? 0 : countTokens(prefix);
    }

    /// <summary>After a continuation: the prefix the client saw as output is output, not input.</summary>
    public MessageUsage WithPrefix(MessageUsage usage) => _prefixTokens == 0 ? usage : usage with
    {
        InputTokens = Math.Max(0, usage.InputTokens - _prefixTokens),
        OutputTokens = usage.OutputTokens + _prefixTokens,
    };

    /// <summary>Usage counted from what reached the client, with the upstream's input counts when it sent any.</summary>
    public MessageUsage Estimate(IReadOnlyList<ToolCallState> tools, ChatUsage? upstream, int inputTokens)
    {
        var produced = new StringBuilder().Append(_reasoning).Append(_text, 0, _emitted);
        foreach (var tool in tools)
        {
            produced.Append(tool.Name).Append(tool.Arguments);
        }

        return new MessageUsage
        {
            InputTokens = upstream?.CacheMissTokens ?? inputTokens,
            CacheReadInputTokens = upstream?.CacheHitTokens ?? 0,
            OutputTokens = Math.Max(1, countTokens(produced.ToString())),
        };
    }
}
