namespace Switchyard.Tests.Cli;

/// <summary><c>switchyard config</c> and where the configuration comes from.</summary>
public sealed class ConfigCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("switchyard-config-").FullName;

    [Fact]
    public async Task Config_shows_values_with_their_source_and_masks_secrets()
    {
        await File.WriteAllTextAsync(Path.Combine(_root, "appsettings.json"),
            """{"Switchyard":{"DataDirectory":"state","Admin":{"Key":"admin-secret-value-0123456789"},"PingInterval":"00:00:07","Storage":{"PostgreSql":"Host=db;Username=sy;Password=pg-secret-pw"}}}""");
        var result = await Cli.RunAsync(["config", "--Switchyard:Upstream:ApiKey=sk-upstream-secret", "--Switchyard:DrainTimeout", "00:00:09",
            "--DEEPSEEK_BASE_URL=http://127.0.0.1:9"], workingDirectory: _root, width: 200);
        Assert.True(result.Exit == 0, result.Error);
        Assert.DoesNotContain("admin-secret-value-0123456789", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-upstream-secret", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("pg-secret-pw", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"Switchyard:PingInterval\s+00:00:07\s+appsettings\.json", result.Out);
        Assert.Matches(@"Switchyard:DrainTimeout\s+00:00:09\s+command line", result.Out);
        Assert.Matches(@"Switchyard:Admin:Key\s+\*+ \(set\)\s+appsettings\.json", result.Out);
        Assert.Matches(@"Switchyard:Upstream:ApiKey\s+\*+ \(set\)\s+command line", result.Out);
        Assert.Matches(@"DEEPSEEK_BASE_URL\s+http://127\.0\.0\.1:9\s+command line", result.Out);
        Assert.Contains("host=db", result.Out, StringComparison.OrdinalIgnoreCase);
        Assert.Matches(@"Content root\s+" + System.Text.RegularExpressions.Regex.Escape(_root), result.Out);
        // A relative data directory is taken from the content root, not from where the command runs.
        Assert.Matches(@"Data directory\s+" + System.Text.RegularExpressions.Regex.Escape(Path.Combine(_root, "state")), result.Out);
    }

    [Fact]
    public async Task The_content_root_is_the_working_directory_with_appsettings_else_the_executables_folder_else_explicit()
    {
        var withSettings = await Cli.RunAsync(["config"], workingDirectory: _root, width: 400);
        Assert.Matches(@"Content root\s+" + System.Text.RegularExpressions.Regex.Escape(AppContext.BaseDirectory), withSettings.Out);

        await File.WriteAllTextAsync(Path.Combine(_root, "appsettings.json"), """{"Switchyard":{"DataDirectory":"here"}}""");
        var here = await Cli.RunAsync(["config"], workingDirectory: _root, width: 400);
        Assert.Matches(@"Data directory\s+" + System.Text.RegularExpressions.Regex.Escape(Path.Combine(_root, "here")), here.Out);

        var elsewhere = Directory.CreateTempSubdirectory("switchyard-config-other-").FullName;
        try
        {
            var explicitRoot = await Cli.RunAsync(["config", "--contentRoot", _root], workingDirectory: elsewhere, width: 400);
            Assert.True(explicitRoot.Exit == 0, explicitRoot.Error);
            Assert.Matches(@"Data directory\s+" + System.Text.RegularExpressions.Regex.Escape(Path.Combine(_root, "here")), explicitRoot.Out);
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
