using Switchyard.Anthropic;
using Switchyard.OpenAI;

namespace Switchyard.Translation;

/// <summary>
/// The tool calls of one streamed message in the order the client sees them. One call's block is live at a time: a
/// call whose fragments arrive while another is live is held back until the live one's JSON is complete, so parallel
/// calls with interleaved fragments stay whole.
/// </summary>
internal sealed class ToolCallQueue
{
    private readonly List<ToolCallState> _calls = [];

    /// <summary>How many calls were seen.</summary>
    public int Count => _calls.Count;

    /// <summary>Every call, in order of first appearance.</summary>
    public IReadOnlyList<ToolCallState> All => _calls;

    /// <summary>The call whose block is open, if any.</summary>
    public ToolCallState? Live { get; set; }

    /// <summary>
    /// The call a fragment belongs to: by its index, or (upstreams that send none) a new call per id and the last
    /// call otherwise. <paramref name="added"/> tells whether the fragment started a new call.
    /// </summary>
    public ToolCallState Track(ChatToolCallDelta call, out bool added)
    {
        var key = call.Index ?? (call.Id is null ? Math.Max(0, _calls.Count - 1) : _calls.Count);
        var tool = _calls.Find(t => t.Key == key);
        added = tool is null;
        if (tool is null)
        {
            tool = new ToolCallState(key, call.Id ?? AnthropicIds.NewToolUseId(), call.Function?.Name ?? string.Empty);
            _calls.Add(tool);
        }
        else if (tool.Name.Length == 0 && !string.IsNullOrEmpty(call.Function?.Name))
        {
            tool.Name = call.Function.Name;
        }

        return tool;
    }

    /// <summary>The next call to open: none while the live call's JSON is incomplete, or when no call waits.</summary>
    public ToolCallState? NextToOpen() =>
        Live is not null && !(Live.Json.IsComplete && _calls.Exists(t => !t.Emitted)) ? null : _calls.Find(t => !t.Emitted);
}
