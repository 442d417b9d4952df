using System.Text;

namespace Switchyard.Translation;

/// <summary>One streamed tool call of <see cref="StreamTranslator"/>: its arguments so far, and whether its block was opened.</summary>
/// <param name="key">The upstream's index of the call.</param>
/// <param name="id">The call id (<c>tool_use.id</c>).</param>
/// <param name="name">The function name, possibly empty until a later fragment names it.</param>
internal sealed class ToolCallState(int key, string id, string name)
{
    public int Key { get; } = key;

    public string Id { get; } = id;

    public string Name { get; set; } = name;

    public StringBuilder Arguments { get; } = new();

    public JsonCompletion Json { get; } = new();

    public bool Emitted { get; set; }
}
