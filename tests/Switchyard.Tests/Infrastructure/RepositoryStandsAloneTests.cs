using Switchyard.Tests.Tokenization;

namespace Switchyard.Tests.Infrastructure;

/// <summary>A fresh clone passes its tests with nothing beside it: no source, test, benchmark or doc reads a folder outside.</summary>
public sealed class RepositoryStandsAloneTests
{
    private static readonly string[] Outside = ["../shared", "..\\shared", "/work/shared", "\"..\", \"shared\"", "'..', 'shared'"];

    [Fact]
    public void No_file_refers_to_a_folder_beside_the_repository()
    {
        var root = TokenizerTestPaths.RepoRoot;
        var offenders = new List<string>();
        foreach (var folder in new[] { "src", "tests", "bench", "docs" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (relative.Contains("/bin/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal) ||
                    relative.Contains("node_modules/", StringComparison.Ordinal) || relative.StartsWith("tests/fixtures/", StringComparison.Ordinal) || relative.StartsWith("tests/golden/", StringComparison.Ordinal) ||
                    file.EndsWith(nameof(RepositoryStandsAloneTests) + ".cs", StringComparison.Ordinal) ||
                    Path.GetExtension(file) is not (".cs" or ".mjs" or ".js" or ".md" or ".sh" or ".json" or ""))
                {
                    continue;
                }

                var text = File.ReadAllText(file);
                offenders.AddRange(Outside.Where(o => text.Contains(o, StringComparison.Ordinal)).Select(o => $"{relative}: {o}"));
            }
        }

        Assert.Empty(offenders);
    }

    [Fact]
    public void The_claude_code_fixtures_are_in_the_repository()
    {
        var dir = Path.Combine(TokenizerTestPaths.RepoRoot, "tests", "fixtures", "claude-code");
        Assert.True(File.Exists(Path.Combine(dir, "first-request.json")));
        Assert.True(File.Exists(Path.Combine(dir, "tool-result-turn.json")));
        Assert.True(File.Exists(Path.Combine(dir, "2.1.332", "tool-reference-turn.json")));
    }
}
