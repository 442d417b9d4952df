using System.Text.Json.Nodes;
using Switchyard.Keys;

namespace Switchyard.Tests.Cli;

/// <summary>The command line: help, version, completion, bad input, exit codes and which stream each message goes to.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("switchyard-cli-data-").FullName;

    private Dictionary<string, string?> Settings() => new() { ["Switchyard:DataDirectory"] = _dataDir };

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_lists_every_command_and_the_exit_codes(string option)
    {
        var result = await Cli.RunAsync([option]);
        Assert.Equal(0, result.Exit);
        Assert.Empty(result.Error);
        foreach (var command in new[] { "serve", "keys", "usage", "routes", "check", "config", "claude-env", "codex-env" })
        {
            Assert.Matches($@"(?m)^\s+{command}\b", result.Out);
        }

        Assert.Contains("Exit codes: 0 ok, 1 failure", result.Out, StringComparison.Ordinal);
        Assert.Contains("2 usage", result.Out, StringComparison.Ordinal);
        Assert.Contains("--version", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        var result = await Cli.RunAsync(["--version"]);
        Assert.Equal(0, result.Exit);
        var expected = typeof(Switchyard.Cli.SwitchyardCli).Assembly.GetName().Version!;
        Assert.StartsWith($"{expected.Major}.{expected.Minor}.{expected.Build}", result.Out.Trim(), StringComparison.Ordinal);
        Assert.Equal(Switchyard.Cli.SwitchyardCli.Version, result.Out.Trim());
    }

    [Fact]
    public async Task A_mistyped_command_is_a_usage_error_on_stderr_and_does_not_serve()
    {
        AssertUsageError(await Cli.RunAsync(["foo"]), "'foo'", "switchyard --help");
    }

    [Theory]
    [InlineData("routes", "--help")]
    [InlineData("routes", "explain", "--help")]
    [InlineData("keys", "create", "--help")]
    [InlineData("serve", "--help")]
    public async Task Every_command_has_help(params string[] args)
    {
        var result = await Cli.RunAsync(args);
        Assert.True(result.Exit == 0, result.Error);
        Assert.Contains("Usage:", result.Out, StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }

    /// <summary>Exit 2, nothing on stdout, and stderr says each of <paramref name="said"/>.</summary>
    private static void AssertUsageError(CliResult result, params string[] said)
    {
        Assert.Equal(2, result.Exit);
        Assert.Empty(result.Out);
        foreach (var text in said)
        {
            Assert.Contains(text, result.Error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("routes")]
    [InlineData("routes", "explain")]
    [InlineData("keys")]
    public async Task A_command_without_its_subcommand_or_argument_is_a_usage_error(params string[] args) =>
        AssertUsageError(await Cli.RunAsync(args, Settings()), "switchyard --help");

    [Theory]
    [InlineData("--rpm", "many", "--rpm: 'many' is not a whole number")]
    [InlineData("--max-concurrency", "0", "--max-concurrency: '0' is not a whole number of at least 1")]
    [InlineData("--budget-usd", "lots", "--budget-usd: 'lots' is not an amount in dollars")]
    public async Task Bad_values_get_readable_messages(string option, string value, string message)
    {
        var result = await Cli.RunAsync(["keys", "create", "--name", "x", option, value], Settings());
        AssertUsageError(result, message);
        Assert.DoesNotContain("System.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_with_a_bad_since_is_a_usage_error_on_stderr()
    {
        AssertUsageError(await Cli.RunAsync(["usage", "--since", "banana"], Settings()), "--since", "banana");
    }

    [Fact]
    public async Task Check_of_a_missing_file_is_a_usage_error_on_stderr()
    {
        AssertUsageError(await Cli.RunAsync(["check", "/nope.json"], Settings()), "cannot read '/nope.json'");
        AssertUsageError(await Cli.RunAsync(["check"], Settings()), "switchyard --help");
    }

    [Fact]
    public async Task A_missing_key_exits_1_with_the_message_on_stderr()
    {
        var result = await Cli.RunAsync(["keys", "show", "nobody"], Settings());
        Assert.Equal(1, result.Exit);
        Assert.Contains("no key 'nobody'", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Theory]
    [InlineData("keys cr", 7, "create")]
    [InlineData("ke", 2, "keys")]
    [InlineData("usage --by ", 11, "model")]
    [InlineData("claude-env --sh", 15, "--shell")]
    public async Task Completion_through_the_suggest_directive_of_dotnet_suggest(string line, int position, string expected)
    {
        // dotnet-suggest runs `switchyard [suggest:<position>] "<line>"` and offers the lines it prints.
        var result = await Cli.RunAsync([$"[suggest:{position}]", line]);
        Assert.Equal(0, result.Exit);
        Assert.Contains(expected, result.Out.Split('\n', StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task Keys_create_json_prints_the_key_for_scripts()
    {
        var result = await Cli.RunAsync(["keys", "create", "--name", "ci-bot", "--rpm", "60", "--models", "deepseek-*", "--json"], Settings());
        Assert.True(result.Exit == 0, result.Error);
        var key = JsonNode.Parse(result.Out)!;
        Assert.Equal("ci-bot", key["name"]!.GetValue<string>());
        Assert.StartsWith(KeySecrets.Prefix, key["secret"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(60, key["rpm"]!.GetValue<int>());
        Assert.Equal("deepseek-*", key["models"]![0]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(key["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Tables_fit_80_columns()
    {
        foreach (var name in new[] { "team-alpha-production", "b", "research-notebooks" })
        {
            var created = await Cli.RunAsync(["keys", "create", "--name", name, "--max-concurrency", "16", "--rpm", "6000", "--tpm", "2000000",
                "--budget-usd", "1250.5", "--models", "deepseek-v4-*", "claude-*"], Settings());
            Assert.True(created.Exit == 0, created.Error);
        }

        foreach (var args in new[] { new[] { "keys", "list" }, ["usage", "--by", "key"], ["usage"], ["keys", "show", "b"], ["config"] })
        {
            var result = await Cli.RunAsync(args, Settings());
            Assert.True(result.Exit == 0, string.Join(' ', args) + ": " + result.Error);
            var lines = result.Out.Split('\n');
            Assert.All(lines, line => Assert.True(line.TrimEnd().Length <= 80, $"{string.Join(' ', args)}: {line.Length} columns: {line}"));
        }

        var list = await Cli.RunAsync(["keys", "list"], Settings());
        Assert.Contains("team-alpha-production", list.Out, StringComparison.Ordinal);
        Assert.Contains("16/6k/2M", list.Out, StringComparison.Ordinal);
        Assert.Contains("0.00/1250.50", list.Out, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
