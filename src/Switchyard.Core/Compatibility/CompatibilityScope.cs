namespace Switchyard.Compatibility;

/// <summary>Which part of a request a <see cref="CompatibilityRule"/> is about.</summary>
public enum CompatibilityScope
{
    /// <summary>An HTTP request header.</summary>
    Header,
    /// <summary>A top-level field of the request body.</summary>
    Field,
    /// <summary>A message role (Chat Completions).</summary>
    Role,
    /// <summary>A content block type inside Messages API content (<c>messages[].content</c>, <c>tool_result.content</c>, <c>system</c>).</summary>
    Block,
    /// <summary>A content part type inside Chat Completions content (<c>messages[].content[]</c>).</summary>
    Part,
    /// <summary>An input item type (Responses API).</summary>
    Item,
    /// <summary>A tool definition type in <c>tools[]</c>.</summary>
    Tool,
}
