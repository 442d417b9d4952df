using Switchyard.Memory;

namespace Switchyard.Tests.Translation.ChatToMessages;

/// <summary>A dictionary-backed <see cref="IReasoningMemory"/> for unit tests.</summary>
internal sealed class DictionaryReasoningMemory : IReasoningMemory
{
    public Dictionary<string, ReasoningEntry> Entries { get; } = new(StringComparer.Ordinal);

    public void Remember(string key, ReasoningEntry entry) => Entries[key] = entry;

    public bool TryRecall(string key, out ReasoningEntry entry) => Entries.TryGetValue(key, out entry!);
}
