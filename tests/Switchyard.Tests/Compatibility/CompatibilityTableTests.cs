using Switchyard.Compatibility;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Compatibility;

public sealed class CompatibilityTableTests
{
    public static TheoryData<string> Lanes() => [.. CompatibilityTables.All.Select(t => t.Lane)];

    /// <summary>Each lane's table appears in the README between its markers, exactly as rendered from the data.</summary>
    [Theory]
    [MemberData(nameof(Lanes))]
    public void Readme_shows_each_lane_table(string lane)
    {
        var table = CompatibilityTables.All.Single(t => t.Lane == lane);
        ReadmeSection.AssertCurrent($"compatibility:{table.Slug}", "\n" + table.RenderMarkdown());
    }

    /// <summary>Every scope a lane reads ends in a catch-all rule, so a new client field or block always has an answer.</summary>
    [Theory]
    [MemberData(nameof(Lanes))]
    public void Every_scope_of_a_lane_has_a_catch_all(string lane)
    {
        var table = CompatibilityTables.All.Single(t => t.Lane == lane);
        foreach (var scope in table.Rules.Select(r => r.Scope).Distinct())
        {
            Assert.Contains(table.Rules, r => r.Scope == scope && r.Name == "*");
        }
    }

    [Theory]
    [InlineData(CompatibilityScope.Block, "image", Support.Rejected)]
    [InlineData(CompatibilityScope.Block, "web_search_tool_result", Support.Rejected)]
    [InlineData(CompatibilityScope.Block, "brand_new_block", Support.Rejected)]
    [InlineData(CompatibilityScope.Field, "top_k", Support.Ignored)]
    [InlineData(CompatibilityScope.Field, "some_future_field", Support.Ignored)]
    [InlineData(CompatibilityScope.Tool, "web_search_20250305", Support.Rejected)]
    [InlineData(CompatibilityScope.Tool, "bash_20250124", Support.Honoured)]
    [InlineData(CompatibilityScope.Tool, "custom", Support.Honoured)]
    public void Lookup_prefers_exact_names_then_the_longest_pattern(CompatibilityScope scope, string name, Support expected) =>
        Assert.Equal(expected, CompatibilityTables.MessagesToChat.Lookup(scope, name).Support);

    /// <summary>
    /// Server tool results are rejected by their own rule, whose note says why, not as unknown blocks: the
    /// <c>*_tool_result</c> pattern matches a suffix.
    /// </summary>
    [Theory]
    [InlineData("web_search_tool_result")]
    [InlineData("code_execution_tool_result")]
    [InlineData("web_fetch_tool_result")]
    public void Server_tool_results_have_their_own_rule(string type)
    {
        var rule = CompatibilityTables.MessagesToChat.Lookup(CompatibilityScope.Block, type);
        Assert.Equal("*_tool_result", rule.Name);
        Assert.DoesNotContain("Unknown", rule.Note, StringComparison.Ordinal);
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Switchyard.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
