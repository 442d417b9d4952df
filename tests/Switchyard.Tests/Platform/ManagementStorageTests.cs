using Switchyard.Keys;
using Switchyard.Platform;

namespace Switchyard.Tests.Platform;

/// <summary>What the dashboard stores, against real SQLite and real PostgreSQL: key edits, request decisions, retained bodies.</summary>
public sealed class ManagementStorageTests
{
    [Fact] public Task Sqlite_key_edits_decisions_and_bodies() => RoundTripAsync("sqlite");
    [PostgresFact] public Task Postgres_key_edits_decisions_and_bodies() => RoundTripAsync("postgresql");

    private static async Task RoundTripAsync(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var runtime = await db.StartRuntimeAsync();

        var created = await runtime.Keys.CreateAsync(new NewKey { Name = "edit-me", RequestsPerMinute = 10, Models = ["claude-*"] });
        var edited = await runtime.Keys.UpdateAsync(created.Key.Id, new NewKey { Name = "ignored", MaxConcurrency = 3, BudgetUsd = 7.25m });
        Assert.NotNull(edited);
        Assert.Equal("edit-me", edited!.Name);
        Assert.Equal(3, edited.MaxConcurrency);
        Assert.Null(edited.RequestsPerMinute);
        Assert.Equal(7.25m, edited.BudgetUsd);
        Assert.Empty(edited.Models);
        Assert.Null(await runtime.Keys.UpdateAsync("nope", new NewKey { Name = "x" }));
        await Assert.ThrowsAsync<ArgumentException>(() => runtime.Keys.UpdateAsync(created.Key.Id, new NewKey { Name = "x", TokensPerMinute = 0 }));
        Assert.Equal(AuthOutcome.Authenticated, (await new PlatformService(runtime).AuthenticateAsync(created.Secret, true)).Outcome);

        var record = LedgerTests.Record("req_decided", "deepseek-v4-flash", DateTimeOffset.UtcNow, 0, 10, 5, edited);
        record.Decisions = new() { ["model"] = "deepseek-v4-flash", ["model-remapped"] = "alias" };
        await runtime.Ledger.RecordAsync(record);
        await runtime.Ledger.RecordAsync(LedgerTests.Record("req_plain", "deepseek-v4-flash", DateTimeOffset.UtcNow, 0, 10, 5));
        await runtime.Ledger.FlushAsync();
        var stored = await runtime.Ledger.Store.GetAsync("req_decided");
        Assert.Equal("alias", stored!.Decisions!["model-remapped"]);
        Assert.Null((await runtime.Ledger.Store.GetAsync("req_plain"))!.Decisions);

        var now = DateTimeOffset.UtcNow;
        await runtime.Bodies.StoreAsync("req_decided", "{\"model\":\"claude-sonnet-4-5\"}", truncated: true, now.AddHours(1));
        await runtime.Bodies.StoreAsync("req_plain", "{}", truncated: false, now.AddSeconds(-1));
        var body = await runtime.Bodies.GetAsync("req_decided", now);
        Assert.Equal("{\"model\":\"claude-sonnet-4-5\"}", body!.Body);
        Assert.True(body.Truncated);
        Assert.Null(await runtime.Bodies.GetAsync("req_plain", now));
        Assert.Equal(1, await runtime.Bodies.PurgeAsync(now));
        Assert.Null(await runtime.Bodies.GetAsync("req_decided", now.AddHours(2)));
    }
}
