namespace Switchyard.Tests.Infrastructure;

/// <summary>Files under the repository's <c>tests/fixtures</c>, found from the test binary's folder.</summary>
internal static class RepositoryFixtures
{
    /// <summary>The full path of <c>tests/fixtures/&lt;parts&gt;</c>.</summary>
    public static string Path(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Switchyard.sln")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        return System.IO.Path.Combine([dir!.FullName, "tests", "fixtures", .. parts]);
    }
}
