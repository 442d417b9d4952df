namespace Switchyard.Compatibility;

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
