using System.Text.Json;

namespace Switchyard.Anthropic;

/// <summary>A request-side content block that Switchyard can translate.</summary>
public abstract record ContentBlock;

/// <summary>A <c>text</c> block.</summary>
public sealed record TextBlock(string Text) : ContentBlock;

/// <summary>A <c>thinking</c> block sent back by the client.</summary>
public sealed record ThinkingBlock(string Thinking, string Signature) : ContentBlock;

/// <summary>A <c>tool_use</c> block; <see cref="Input"/> is the tool's input object.</summary>
public sealed record ToolUseBlock(string Id, string Name, JsonElement Input) : ContentBlock;

/// <summary>A <c>tool_result</c> block with its content flattened to text.</summary>
public sealed record ToolResultBlock(string ToolUseId, string Content, bool IsError) : ContentBlock
{
    /// <summary>The tools its <c>tool_reference</c> parts load (Claude Code's ToolSearch).</summary>
    public IReadOnlyList<string> LoadedTools { get; init; } = [];
}

/// <summary>
/// A <c>tool_addition</c> block of a system message (Claude Code's mid-conversation tool changes): the named tool is
/// available from here on. It carries no text for the model; the message's text block says the same in words.
/// </summary>
public sealed record ToolAdditionBlock(string ToolName) : ContentBlock;
