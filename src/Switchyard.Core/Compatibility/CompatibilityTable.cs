using System.Text;

namespace Switchyard.Compatibility;

/// <summary>
/// One lane's compatibility table: which parts of a client request it honours, ignores or rejects, and why. The
/// lane's reader, the <c>check</c> command and the README all read it; nothing else decides.
/// </summary>
public sealed class CompatibilityTable
{
    // Readers look up every field, role, part and tool of every request: exact names by hash, then the patterns of
    // the scope, longest first (the first in table order among equally long ones).
    private readonly Dictionary<(CompatibilityScope, string), CompatibilityRule> _exact = [];
    private readonly Dictionary<CompatibilityScope, CompatibilityRule[]> _patterns;

    /// <summary>Creates a table.</summary>
    /// <param name="lane">The lane's name, e.g. <c>messages→chat</c>.</param>
    /// <param name="title">A heading for the README, e.g. "Anthropic clients → DeepSeek (OpenAI format)".</param>
    /// <param name="rules">The rules, in the order the README shows them.</param>
    public CompatibilityTable(string lane, string title, IReadOnlyList<CompatibilityRule> rules)
    {
        ArgumentException.ThrowIfNullOrEmpty(lane);
        ArgumentException.ThrowIfNullOrEmpty(title);
        ArgumentNullException.ThrowIfNull(rules);
        Lane = lane;
        Title = title;
        Rules = rules;
        foreach (var rule in rules)
        {
            _exact.TryAdd((rule.Scope, rule.Name), rule);
        }

        _patterns = rules.Where(r => r.IsPattern).GroupBy(r => r.Scope)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.Name.Length).ToArray());
    }

    /// <summary>The lane's name.</summary>
    public string Lane { get; }

    /// <summary>The README heading.</summary>
    public string Title { get; }

    /// <summary>Every rule, in the order the README shows them.</summary>
    public IReadOnlyList<CompatibilityRule> Rules { get; }

    /// <summary>The README's marker name of this table (<c>compatibility:&lt;slug&gt;</c>).</summary>
    public string Slug => Lane.Replace("→", "-to-", StringComparison.Ordinal);

    /// <summary>The rule for <paramref name="name"/> in <paramref name="scope"/>; exact names win over patterns (the longest first).</summary>
    /// <exception cref="InvalidOperationException">The table has no rule for the scope (every scope a lane reads ends with a <c>*</c> rule).</exception>
    public CompatibilityRule Lookup(CompatibilityScope scope, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_exact.TryGetValue((scope, name), out var exact))
        {
            return exact;
        }

        if (_patterns.TryGetValue(scope, out var patterns))
        {
            foreach (var pattern in patterns)
            {
                if (pattern.Matches(name))
                {
                    return pattern;
                }
            }
        }

        throw new InvalidOperationException($"The {Lane} table has no rule for {scope} '{name}'.");
    }

    /// <summary>Renders the table as Markdown, as it appears in the README.</summary>
    public string RenderMarkdown()
    {
        var sb = new StringBuilder();
        sb.Append("| Part | Name | Support | Notes |\n|---|---|---|---|\n");
        foreach (var rule in Rules)
        {
            sb.Append("| ").Append(ScopeLabel(rule.Scope))
              .Append(" | `").Append(rule.Name).Append("` | ")
              .Append(rule.Support switch { Support.Honoured => "honoured", Support.Translated => "translated", Support.Ignored => "ignored", _ => "**rejected**" })
              .Append(" | ").Append(rule.Note.Replace("|", "\\|", StringComparison.Ordinal)).Append(" |\n");
        }

        return sb.ToString();
    }

    private static string ScopeLabel(CompatibilityScope scope) => scope switch
    {
        CompatibilityScope.Header => "header",
        CompatibilityScope.Field => "field",
        CompatibilityScope.Role => "message role",
        CompatibilityScope.Block => "content block",
        CompatibilityScope.Part => "content part",
        CompatibilityScope.Item => "input item",
        _ => "tool type",
    };
}
