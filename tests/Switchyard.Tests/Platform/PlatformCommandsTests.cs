using Switchyard.Keys;
using Switchyard.Platform;

namespace Switchyard.Tests.Platform;

/// <summary>The <c>keys</c> and <c>usage</c> commands, in-process, on the database a running server would use.</summary>
public sealed class PlatformCommandsTests
{
    [Fact] public Task Sqlite_keys_commands() => KeysCommandsAsync("sqlite");
    [PostgresFact] public Task Postgres_keys_commands() => KeysCommandsAsync("postgresql");

    private static async Task<(int Code, string Output)> RunAsync(TestDatabase db, params string[] args)
    {
        var result = await Tests.Cli.Cli.RunAsync(args, db.Settings());
        return (result.Exit, result.Out + result.Error);
    }

    private static async Task KeysCommandsAsync(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        var (code, output) = await RunAsync(db, "keys", "create", "--name", "cli-team", "--max-concurrency", "4", "--rpm", "100",
            "--budget-usd", "110", "--models", "deepseek-v4-*", "claude-*");
        Assert.True(code == 0, output);
        var secret = output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(KeySecrets.Prefix, StringComparison.Ordinal) && l.Length == KeySecrets.SecretLength);

        // The server side (another instance on the same database) accepts the key at once.
        await using var server = await db.StartRuntimeAsync(shareDataDirectory: engine == "sqlite");
        var service = new PlatformService(server);
        var auth = await service.AuthenticateAsync(secret, true);
        Assert.Equal(AuthOutcome.Authenticated, auth.Outcome);
        Assert.Equal(["deepseek-v4-*", "claude-*"], auth.Key!.Models);
        Assert.Equal(4, auth.Key.MaxConcurrency);
        Assert.Equal(110m, auth.Key.BudgetUsd);

        (code, output) = await RunAsync(db, "keys", "list");
        Assert.Equal(0, code);
        Assert.Contains("cli-team", output, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, output, StringComparison.Ordinal);

        (code, output) = await RunAsync(db, "keys", "show", "cli-team");
        Assert.Equal(0, code);
        Assert.Contains(auth.Key.Id, output, StringComparison.Ordinal);
        Assert.Contains("110.000000", output, StringComparison.Ordinal);

        await server.Ledger.RecordAsync(LedgerTests.Record("cli-usage", "deepseek-v4-flash", DateTimeOffset.UtcNow, 0, 1_000_000, 0, auth.Key));
        await server.Ledger.FlushAsync();
        (code, output) = await RunAsync(db, "usage", "--by", "key", "--since", "1h");
        Assert.True(code == 0, output);
        Assert.Contains("cli-team", output, StringComparison.Ordinal);
        Assert.Contains("0.140000", output, StringComparison.Ordinal);
        (code, _) = await RunAsync(db, "usage", "--by", "day");
        Assert.Equal(0, code);
        (code, _) = await RunAsync(db, "usage", "--by", "nonsense");
        Assert.NotEqual(0, code);

        (code, output) = await RunAsync(db, "keys", "revoke", auth.Key.Id);
        Assert.True(code == 0, output);
        Assert.Equal(AuthOutcome.Rejected, (await service.AuthenticateAsync(secret, true)).Outcome);
        (code, _) = await RunAsync(db, "keys", "show", "nobody");
        Assert.Equal(1, code);
        (code, _) = await RunAsync(db, "keys", "create");
        Assert.NotEqual(0, code);
    }
}
