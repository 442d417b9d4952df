namespace Switchyard.Compatibility;

/// <summary>What a lane does with a request field, header, content block or tool type.</summary>
public enum Support
{
    /// <summary>Mapped to its upstream equivalent and honoured.</summary>
    Honoured,
    /// <summary>Carried in another form the upstream understands, with the same effect for the client (the note says how).</summary>
    Translated,
    /// <summary>Accepted and ignored; the request is served without it.</summary>
    Ignored,
    /// <summary>Rejected with a 400 <c>invalid_request_error</c> that names it and where it was.</summary>
    Rejected,
}

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

/// <summary>One row of a compatibility table.</summary>
/// <param name="Scope">What the name refers to.</param>
/// <param name="Name">
/// The field, header, block type or tool type. A <c>*</c> matches any run of characters (<c>bash_*</c>,
/// <c>*_tool_result</c>, <c>*</c>).
/// </param>
/// <param name="Support">What the lane does with it.</param>
/// <param name="Note">Why, and how it maps upstream; shown in the README and in error messages.</param>
public sealed record CompatibilityRule(CompatibilityScope Scope, string Name, Support Support, string Note)
{
    /// <summary>Whether the name is a pattern.</summary>
    public bool IsPattern => Name.Contains('*', StringComparison.Ordinal);

    /// <summary>Whether this rule covers <paramref name="name"/>.</summary>
    public bool Matches(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var star = Name.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return string.Equals(Name, name, StringComparison.Ordinal);
        }

        var prefix = Name.AsSpan(0, star);
        var suffix = Name.AsSpan(star + 1);
        return name.Length >= prefix.Length + suffix.Length &&
               name.AsSpan().StartsWith(prefix, StringComparison.Ordinal) &&
               name.AsSpan().EndsWith(suffix, StringComparison.Ordinal);
    }
}
