using Switchyard.Compatibility;

namespace Switchyard.Tests.Compatibility;

public sealed class CompatibilityTableTests
{
    private const string Start = "<!-- compatibility:start -->";
    private const string End = "<!-- compatibility:end -->";

    [Fact]
    public void Readme_shows_the_policy_table()
    {
        var path = Path.Combine(RepoRoot(), "README.md");
        var readme = File.ReadAllText(path);
        var from = readme.IndexOf(Start, StringComparison.Ordinal) + Start.Length;
        var to = readme.IndexOf(End, StringComparison.Ordinal);
        var expected = "\n" + CompatibilityTables.MessagesToChat.RenderMarkdown();
        if (Environment.GetEnvironmentVariable("UPDATE_README") == "1")
        {
            File.WriteAllText(path, readme[..from] + expected + readme[to..]);
            return;
        }

        Assert.Equal(expected, readme[from..to]);
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
