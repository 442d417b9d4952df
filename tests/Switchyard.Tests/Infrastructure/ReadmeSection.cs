namespace Switchyard.Tests.Infrastructure;

/// <summary>
/// A generated part of README.md, between <c>&lt;!-- {name}:start --&gt;</c> and <c>&lt;!-- {name}:end --&gt;</c>:
/// asserted equal to what the code renders, or rewritten with <c>UPDATE_README=1</c>.
/// </summary>
internal static class ReadmeSection
{
    public static void AssertCurrent(string name, string expected)
    {
        var start = $"<!-- {name}:start -->";
        var end = $"<!-- {name}:end -->";
        var path = Path.Combine(Compatibility.CompatibilityTableTests.RepoRoot(), "README.md");
        var readme = File.ReadAllText(path);
        var at = readme.IndexOf(start, StringComparison.Ordinal);
        Assert.True(at >= 0, $"README.md has no {start} marker.");
        var from = at + start.Length;
        var to = readme.IndexOf(end, from, StringComparison.Ordinal);
        Assert.True(to >= from, $"README.md has no {end} marker after {start}.");
        if (Environment.GetEnvironmentVariable("UPDATE_README") == "1")
        {
            File.WriteAllText(path, readme[..from] + expected + readme[to..]);
            return;
        }

        Assert.Equal(expected, readme[from..to]);
    }
}
