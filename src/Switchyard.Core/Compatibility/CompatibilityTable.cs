using System.Text;

namespace Switchyard.Compatibility;

/// <summary>
/// One lane's compatibility table: which parts of a client request it honours, ignores or rejects, and why. The
/// lane's reader, the <c>check</c> command and the README all read it; nothing else decides.
/// </summary>
public sealed class CompatibilityTable
{
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
        CompatibilityRule? pattern = null;
        foreach (var rule in Rules)
        {
            if (rule.Scope != scope)
            {
                continue;
            }

            if (string.Equals(rule.Name, name, StringComparison.Ordinal))
            {
                return rule;
            }

            if (rule.IsPattern && rule.Matches(name) && (pattern is null || rule.Name.Length > pattern.Name.Length))
            {
                pattern = rule;
            }
        }

        return pattern ?? throw new InvalidOperationException($"The {Lane} table has no rule for {scope} '{name}'.");
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
