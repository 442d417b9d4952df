using Switchyard.Accounting;
using Switchyard.Keys;
using Switchyard.Platform;

namespace Switchyard.Tests.Platform;

/// <summary>Prices, costs, the ledger and its outbox against real SQLite and PostgreSQL.</summary>
public sealed class LedgerTests
{
    private static readonly DateTimeOffset BeforeDiscountEnds = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset AfterDiscountEnds = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact] public Task Sqlite_ledger_records_streaming_and_non_streaming_requests_with_costs() => LedgerContentsAsync("sqlite");
    [PostgresFact] public Task Postgres_ledger_records_streaming_and_non_streaming_requests_with_costs() => LedgerContentsAsync("postgresql");
    [Fact] public Task Sqlite_outbox_is_replayed_after_a_crash() => OutboxReplayAsync("sqlite");
    [PostgresFact] public Task Postgres_outbox_is_replayed_after_a_crash() => OutboxReplayAsync("postgresql");
    [Fact] public Task Sqlite_usage_report_groups() => SummaryAsync("sqlite");
    [PostgresFact] public Task Postgres_usage_report_groups() => SummaryAsync("postgresql");

    [Fact]
    public void Default_prices_follow_deepseek_v4()
    {
        var prices = new PriceTable();
        var flash = prices.PriceFor("deepseek-v4-flash", BeforeDiscountEnds)!;
        Assert.Equal((0.0028m, 0.14m, 0.28m), (flash.CacheHitInputPerMillion, flash.CacheMissInputPerMillion, flash.OutputPerMillion));
        var proDiscount = prices.PriceFor("deepseek-v4-pro", BeforeDiscountEnds)!;
        Assert.Equal((0.003625m, 0.435m, 0.87m), (proDiscount.CacheHitInputPerMillion, proDiscount.CacheMissInputPerMillion, proDiscount.OutputPerMillion));
        var proFull = prices.PriceFor("deepseek-v4-pro", AfterDiscountEnds)!;
        Assert.Equal((0.0145m, 1.74m, 3.48m), (proFull.CacheHitInputPerMillion, proFull.CacheMissInputPerMillion, proFull.OutputPerMillion));
        Assert.Equal(0.0145m, prices.PriceFor("deepseek-v4-pro", PriceTable.ProDiscountEnds)!.CacheHitInputPerMillion);
        Assert.Equal(0.003625m, prices.PriceFor("deepseek-v4-pro", PriceTable.ProDiscountEnds.AddTicks(-1))!.CacheHitInputPerMillion);
        Assert.Null(prices.PriceFor("unknown-model", BeforeDiscountEnds));
    }

    [Fact]
    public void Cost_is_hit_miss_and_output_at_their_prices()
    {
        var prices = new PriceTable();
        var record = Record("r1", "deepseek-v4-pro", BeforeDiscountEnds, hit: 1_000_000, miss: 2_000_000, output: 500_000);
        Assert.Equal(0.003625m + (2 * 0.435m) + (0.5m * 0.87m), prices.Cost(record));
        record = Record("r2", "deepseek-v4-flash", BeforeDiscountEnds, hit: 1234, miss: 567, output: 89);
        Assert.Equal((1234 * 0.0028m + 567 * 0.14m + 89 * 0.28m) / 1_000_000m, prices.Cost(record));
        // Without a hit/miss split, all input is a miss.
        var unsplit = new RequestRecord { RequestId = "r3", ServedModel = "deepseek-v4-flash", StartedAt = BeforeDiscountEnds, InputTokens = 1_000_000 };
        Assert.Equal(0.14m, prices.Cost(unsplit));
        // Configured prices replace the defaults, and globs match.
        var custom = new PriceTable([new ModelPrice { Model = "local-*", CacheHitInputPerMillion = 1, CacheMissInputPerMillion = 2, OutputPerMillion = 3 }]);
        Assert.Equal(6m, custom.Cost(Record("r4", "local-llama", BeforeDiscountEnds, 1_000_000, 1_000_000, 1_000_000)));
        Assert.Throws<ArgumentException>(() => new PriceTable([new ModelPrice { Model = "" }]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sqlite_concurrent_records_all_reach_the_database_in_batches(bool fsync)
    {
        await using var db = await TestDatabase.CreateAsync("sqlite");
        await using var runtime = await db.StartRuntimeAsync(options => options.Storage.OutboxFsync = fsync);
        var at = DateTimeOffset.UtcNow;
        await Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
            Task.Run(async () => await runtime.Ledger.RecordAsync(Record($"req_c{i:D3}", "deepseek-v4-flash", at.AddTicks(i), 1, 2, 3)))));
        await runtime.Ledger.FlushAsync();
        Assert.Equal(0, runtime.Ledger.Pending);
        var rows = await runtime.Ledger.Store.QueryAsync(at.AddMinutes(-1));
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"req_c{i:D3}"), rows.Select(r => r.RequestId));

        // The insert connection is kept open between batches.
        await runtime.Ledger.RecordAsync(Record("req_after", "deepseek-v4-flash", at.AddSeconds(1), 1, 2, 3));
        await runtime.Ledger.FlushAsync();
        Assert.NotNull(await runtime.Ledger.Store.GetAsync("req_after"));
    }

    internal static RequestRecord Record(string id, string model, DateTimeOffset at, int hit, int miss, int output, KeyInfo? key = null,
        bool stream = false, int status = 200) => new()
        {
            RequestId = id,
            StartedAt = at,
            KeyId = key?.Id,
            KeyName = key?.Name,
            Format = "anthropic",
            Endpoint = "messages",
            RequestedModel = "claude-sonnet-4-5",
            ServedModel = model,
            Remapped = true,
            Provider = "deepseek",
            Stream = stream,
            Status = status,
            StopReason = "end_turn",
            InputTokens = hit + miss,
            CacheHitTokens = hit,
            CacheMissTokens = miss,
            OutputTokens = output,
            ReasoningTokens = output / 2,
            Latency = TimeSpan.FromMilliseconds(1234.5),
            TimeToFirstToken = stream ? TimeSpan.FromMilliseconds(210) : null,
        };

    private static async Task LedgerContentsAsync(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var runtime = await db.StartRuntimeAsync();
        var service = new PlatformService(runtime);
        var key = (await runtime.Keys.CreateAsync(new NewKey { Name = "ledger", BudgetUsd = 10m })).Key;
        var now = DateTimeOffset.UtcNow;
        var plain = Record("req_plain", "deepseek-v4-flash", now, hit: 1000, miss: 200, output: 300, key);
        var streamed = Record("req_stream", "deepseek-v4-pro", now.AddMilliseconds(1), hit: 0, miss: 5000, output: 7000, key, stream: true);
        var failed = Record("req_failed", "deepseek-v4-flash", now.AddMilliseconds(2), 0, 0, 0, key, status: 429);
        failed.ErrorType = "rate_limit_error";
        var gone = Record("req_gone", "deepseek-v4-flash", now.AddMilliseconds(3), hit: 0, miss: 100, output: 10, key, stream: true);
        gone.ClientDisconnected = true;
        foreach (var r in new[] { plain, streamed, failed, gone })
        {
            await service.RecordAsync(r);
        }

        Assert.Equal((1000 * 0.0028m + 200 * 0.14m + 300 * 0.28m) / 1e6m, plain.CostUsd);
        var pro = runtime.Prices.PriceFor("deepseek-v4-pro", now)!;
        Assert.Equal((5000 * pro.CacheMissInputPerMillion + 7000 * pro.OutputPerMillion) / 1e6m, streamed.CostUsd);
        await runtime.Ledger.FlushAsync();

        var rows = await runtime.Ledger.Store.QueryAsync(now.AddMinutes(-1));
        Assert.Equal(["req_plain", "req_stream", "req_failed", "req_gone"], rows.Select(r => r.RequestId));
        var row = rows[1];
        Assert.Equal(key.Id, row.KeyId);
        Assert.Equal("ledger", row.KeyName);
        Assert.Equal("anthropic", row.Format);
        Assert.Equal("claude-sonnet-4-5", row.RequestedModel);
        Assert.Equal("deepseek-v4-pro", row.ServedModel);
        Assert.True(row.Remapped);
        Assert.Equal("deepseek", row.Provider);
        Assert.True(row.Stream);
        Assert.Equal(200, row.Status);
        Assert.Equal("end_turn", row.StopReason);
        Assert.Equal((5000, 0, 5000, 7000, 3500), (row.InputTokens, row.CacheHitTokens, row.CacheMissTokens, row.OutputTokens, row.ReasoningTokens));
        Assert.Equal(streamed.CostUsd, row.CostUsd);
        Assert.Equal(1234.5, row.Latency!.Value.TotalMilliseconds, 3);
        Assert.Equal(210, row.TimeToFirstToken!.Value.TotalMilliseconds, 3);
        Assert.True(Math.Abs((now.AddMilliseconds(1) - row.StartedAt).TotalMilliseconds) < 0.01);
        Assert.Equal("rate_limit_error", rows[2].ErrorType);
        Assert.True(rows[3].ClientDisconnected);
        Assert.Null(rows[0].TimeToFirstToken);

        // The key's spend is the sum of its costs, and the balance shows what is left.
        var spent = plain.CostUsd + streamed.CostUsd + gone.CostUsd;
        var fresh = (await runtime.Keys.GetAsync(key.Id))!;
        Assert.Equal(Math.Round(spent, 10), Math.Round(fresh.SpentUsd, 10));
        var balance = await service.GetBalanceAsync(fresh);
        Assert.True(balance.IsAvailable);
        Assert.Equal(Math.Round(10m - spent, 2, MidpointRounding.ToZero).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
            balance.BalanceInfos[0].TotalBalance);
        Assert.Equal("0.00", balance.BalanceInfos[0].GrantedBalance);
        Assert.Equal("USD", balance.BalanceInfos[0].Currency);

        // Recording the same request twice (e.g. an outbox replay) counts it once.
        Assert.Equal(0, await runtime.Ledger.Store.InsertAsync([plain]));
        Assert.Equal(Math.Round(spent, 10), Math.Round((await runtime.Keys.GetAsync(key.Id))!.SpentUsd, 10));
    }

    private static async Task OutboxReplayAsync(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        var outbox = Path.Combine(db.DataDirectory, "outbox");
        await using (var first = await db.StartRuntimeAsync())
        {
            await first.Ledger.FlushAsync();
        }

        // A dead process's outbox: two complete lines and one torn by the crash.
        Directory.CreateDirectory(outbox);
        var a = Record("req_crash_a", "deepseek-v4-flash", DateTimeOffset.UtcNow, 10, 20, 30);
        var b = Record("req_crash_b", "deepseek-v4-flash", DateTimeOffset.UtcNow, 1, 2, 3);
        b.CostUsd = new PriceTable().Cost(b);
        var lines = new[] { a, b }.Select(r => System.Text.Json.JsonSerializer.Serialize(r, LedgerJsonContext.Default.RequestRecord));
        await File.WriteAllTextAsync(Path.Combine(outbox, "ledger-999999-dead.jsonl"), string.Join('\n', lines) + "\n{\"RequestId\":\"req_torn\",\"Sta");

        await using var second = await db.StartRuntimeAsync();
        Assert.False(File.Exists(Path.Combine(outbox, "ledger-999999-dead.jsonl")));
        var rows = await second.Ledger.Store.QueryAsync();
        Assert.Equal(["req_crash_a", "req_crash_b"], rows.Select(r => r.RequestId).Order());
        Assert.Equal(b.CostUsd, rows.Single(r => r.RequestId == "req_crash_b").CostUsd);

        // A live ledger's outbox is not taken over by another instance, and is emptied once written.
        await second.Ledger.RecordAsync(Record("req_live", "deepseek-v4-flash", DateTimeOffset.UtcNow, 1, 1, 1));
        await second.Ledger.FlushAsync();
        await using var third = await db.StartRuntimeAsync();
        Assert.Single(await third.Ledger.Store.QueryAsync(), r => r.RequestId == "req_live");
        await second.Ledger.StopAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, second.Ledger.Pending);
    }

    private static async Task SummaryAsync(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var runtime = await db.StartRuntimeAsync();
        var k1 = (await runtime.Keys.CreateAsync(new NewKey { Name = "alpha" })).Key;
        var k2 = (await runtime.Keys.CreateAsync(new NewKey { Name = "beta" })).Key;
        var day1 = new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);
        var day2 = day1.AddDays(1);
        await runtime.Ledger.RecordAsync(Record("s1", "deepseek-v4-flash", day1, 0, 1_000_000, 0, k1));
        await runtime.Ledger.RecordAsync(Record("s2", "deepseek-v4-pro", day1, 0, 1_000_000, 0, k2));
        await runtime.Ledger.RecordAsync(Record("s3", "deepseek-v4-pro", day2, 0, 1_000_000, 0, k2, status: 500));
        await runtime.Ledger.FlushAsync();

        var byKey = await runtime.Ledger.Store.SummarizeAsync(day1.AddDays(-1), UsageGrouping.Key);
        Assert.Equal(["beta", "alpha"], byKey.Select(r => r.Group));
        Assert.Equal(0.87m, byKey[0].CostUsd);
        Assert.Equal(2, byKey[0].Requests);
        Assert.Equal(1, byKey[0].Errors);
        var byModel = await runtime.Ledger.Store.SummarizeAsync(null, UsageGrouping.Model);
        Assert.Equal(["deepseek-v4-pro", "deepseek-v4-flash"], byModel.Select(r => r.Group));
        var byDay = await runtime.Ledger.Store.SummarizeAsync(null, UsageGrouping.Day);
        Assert.Equal(["2026-05-01", "2026-05-02"], byDay.Select(r => r.Group));
        Assert.Equal(0.14m + 0.435m, byDay[0].CostUsd);
        Assert.Single(await runtime.Ledger.Store.SummarizeAsync(day2, UsageGrouping.Day));
    }
}
