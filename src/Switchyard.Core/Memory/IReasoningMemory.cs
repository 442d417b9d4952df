namespace Switchyard.Memory;

/// <summary>
/// Remembers reasoning that clients tend to lose: DeepSeek's <c>reasoning_content</c> of assistant tool-call turns
/// (OpenAI-format clients drop it, and DeepSeek V4 then answers 400), and the signatures of Anthropic thinking
/// blocks served to OpenAI-format clients (which keep only the text).
/// </summary>
public interface IReasoningMemory
{
    /// <summary>Stores an entry under <paramref name="key"/>.</summary>
    void Remember(string key, ReasoningEntry entry);

    /// <summary>Finds an entry stored under <paramref name="key"/>.</summary>
    bool TryRecall(string key, out ReasoningEntry entry);
}
