using Switchyard.Errors;
using Switchyard.Keys;
using Switchyard.Limits;
using Switchyard.Platform;

namespace Switchyard.Tests.Platform;

/// <summary>403/402/429 decisions, and limits held across two replicas on one PostgreSQL.</summary>
public sealed class AdmissionTests
{
    [Fact] public Task Sqlite_key_limits() => KeyLimitsAsync("sqlite");
    [PostgresFact] public Task Postgres_key_limits() => KeyLimitsAsync("postgresql");
    [Fact] public Task Sqlite_budget_gives_402_once_spent() => BudgetAsync("sqlite");
    [PostgresFact] public Task Postgres_budget_gives_402_once_spent() => BudgetAsync("postgresql");

    [PostgresFact]
    public async Task Postgres_concurrency_limit_holds_across_two_replicas()
    {
        await using var db = await TestDatabase.CreateAsync("postgresql");
        await using var a = await db.StartRuntimeAsync(shareDataDirectory: false);
        await using var b = await db.StartRuntimeAsync(shareDataDirectory: false);
        var key = (await a.Keys.CreateAsync(new NewKey { Name = "shared", MaxConcurrency = 2 })).Key;

        await using var first = await a.Admission.AdmitAsync(key, "deepseek-v4-flash");
        await using var second = await b.Admission.AdmitAsync(key, "deepseek-v4-flash");
        Assert.True(first.IsAdmitted && second.IsAdmitted);
        var third = await a.Admission.AdmitAsync(key, "deepseek-v4-flash");
        var fourth = await b.Admission.AdmitAsync(key, "deepseek-v4-flash");
        Assert.Equal(GatewayErrorKind.RateLimit, third.RejectionKind);
        Assert.Equal(GatewayErrorKind.RateLimit, fourth.RejectionKind);
        Assert.Equal("1", fourth.ToException().RetryAfterHeader);

        await first.DisposeAsync();
        await using var fifth = await b.Admission.AdmitAsync(key, "deepseek-v4-flash");
        Assert.True(fifth.IsAdmitted);

        // Racing replicas never exceed the limit.
        await second.DisposeAsync();
        await fifth.DisposeAsync();
        var racing = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? a : b).Admission.AdmitAsync(key, "deepseek-v4-flash").AsTask()));
        Assert.Equal(2, racing.Count(r => r.IsAdmitted));
        foreach (var r in racing)
        {
            await r.DisposeAsync();
        }

        Assert.Equal(0, await a.LimitBackend.InUseAsync("key:" + key.Id));
    }

    [PostgresFact]
    public async Task Postgres_requests_per_minute_hold_across_two_replicas()
    {
        await using var db = await TestDatabase.CreateAsync("postgresql");
        await using var a = await db.StartRuntimeAsync(shareDataDirectory: false);
        await using var b = await db.StartRuntimeAsync(shareDataDirectory: false);
        var key = (await a.Keys.CreateAsync(new NewKey { Name = "rpm", RequestsPerMinute = 3 })).Key;
        var results = new List<Admission>();
        for (var i = 0; i < 6; i++)
        {
            results.Add(await (i % 2 == 0 ? a : b).Admission.AdmitAsync(key, "deepseek-v4-flash"));
        }

        Assert.Equal(3, results.Count(r => r.IsAdmitted));
        Assert.All(results.Skip(3), r => Assert.True(r.RetryAfterSeconds >= 1));
    }

    [Fact]
    public async Task Model_concurrency_queues_briefly_then_rejects()
    {
        var options = new LimitOptions { QueueTimeout = TimeSpan.FromMilliseconds(300) };
        options.Models["deepseek-v4-pro"].MaxConcurrency = 1;
        var controller = new AdmissionController(new LocalLimitBackend(), options);
        var held = await controller.AdmitAsync(null, "deepseek-v4-pro");
        Assert.True(held.IsAdmitted);

        // Released while the next one waits: it gets the slot.
        var waiting = controller.AdmitAsync(null, "deepseek-v4-pro").AsTask();
        await Task.Delay(50);
        await held.DisposeAsync();
        await using var second = await waiting;
        Assert.True(second.IsAdmitted);

        // Not released: 429 after the queue timeout.
        var started = DateTimeOffset.UtcNow;
        var third = await controller.AdmitAsync(null, "deepseek-v4-pro");
        Assert.Equal(GatewayErrorKind.RateLimit, third.RejectionKind);
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromMilliseconds(250));
        Assert.Contains("concurrency limit", third.Message, StringComparison.Ordinal);

        // Other models are not affected; defaults are DeepSeek's account limits.
        Assert.True((await controller.AdmitAsync(null, "deepseek-v4-flash")).IsAdmitted);
        Assert.Equal(2500, new LimitOptions().Models["deepseek-v4-flash"].MaxConcurrency);
        Assert.Equal(500, new LimitOptions().Models["deepseek-v4-pro"].MaxConcurrency);
    }

    [Fact]
    public void Sliding_window_retry_after_is_at_least_a_second()
    {
        Assert.Equal(3, SlidingWindow.Estimate(0, 3, 0.5));
        Assert.Equal(2.5, SlidingWindow.Estimate(1, 2, 0.5));
        Assert.True(SlidingWindow.RetryAfter(0, 3, 0.5, 3) >= TimeSpan.FromSeconds(30));
        Assert.True(SlidingWindow.RetryAfter(3, 0, 0.1, 3) >= TimeSpan.FromSeconds(1));
    }

    private static async Task KeyLimitsAsync(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var runtime = await db.StartRuntimeAsync();
        var service = new PlatformService(runtime);
        var key = (await runtime.Keys.CreateAsync(new NewKey { Name = "limited", MaxConcurrency = 1, RequestsPerMinute = 3, Models = ["deepseek-v4-flash"] })).Key;

        var forbidden = await service.AdmitAsync(key, "deepseek-v4-pro");
        Assert.Equal(GatewayErrorKind.Permission, forbidden.RejectionKind);
        Assert.Equal(403, forbidden.ToException().Kind.StatusCode());

        await using (var first = await service.AdmitAsync(key, "deepseek-v4-flash"))
        {
            Assert.True(first.IsAdmitted);
            var second = await service.AdmitAsync(key, "deepseek-v4-flash");
            Assert.Equal(GatewayErrorKind.RateLimit, second.RejectionKind);
            var error = Assert.Throws<GatewayException>(second.ThrowIfRejected);
            Assert.Equal(429, error.Kind.StatusCode());
            Assert.Equal("1", error.RetryAfterHeader);
        }

        await using (var again = await service.AdmitAsync(key, "deepseek-v4-flash"))
        {
            Assert.True(again.IsAdmitted);
        }

        // rpm = 3 and three requests were counted (the concurrency rejection counted too): the fourth is refused.
        var overRate = await service.AdmitAsync(key, "deepseek-v4-flash");
        Assert.Equal(GatewayErrorKind.RateLimit, overRate.RejectionKind);
        Assert.Contains("per minute", overRate.Message, StringComparison.Ordinal);

        // Tokens per minute come from the ledger's recent sums.
        var tpmKey = (await runtime.Keys.CreateAsync(new NewKey { Name = "tpm", TokensPerMinute = 1000 })).Key;
        Assert.True((await service.AdmitAsync(tpmKey, "deepseek-v4-flash")).IsAdmitted);
        await service.RecordAsync(LedgerTests.Record("tpm1", "deepseek-v4-flash", DateTimeOffset.UtcNow, 0, 900, 200, tpmKey));
        await runtime.Ledger.FlushAsync();
        var overTokens = await service.AdmitAsync(tpmKey, "deepseek-v4-flash");
        Assert.Equal(GatewayErrorKind.RateLimit, overTokens.RejectionKind);
        Assert.Contains("tokens per minute", overTokens.Message, StringComparison.Ordinal);
    }

    private static async Task BudgetAsync(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var runtime = await db.StartRuntimeAsync();
        var service = new PlatformService(runtime);
        var created = await runtime.Keys.CreateAsync(new NewKey { Name = "budget", BudgetUsd = 0.50m });
        var key = (await service.AuthenticateAsync(created.Secret, true)).Key!;
        Assert.True((await service.AdmitAsync(key, "deepseek-v4-pro")).IsAdmitted);
        var balance = await service.GetBalanceAsync(key);
        Assert.True(balance.IsAvailable);
        Assert.Equal("0.50", balance.BalanceInfos[0].TotalBalance);
        Assert.Equal("0.50", balance.BalanceInfos[0].ToppedUpBalance);

        // One request costs 0.435 + 0.87 = 1.305 USD at the discounted pro price: the budget is spent.
        var record = LedgerTests.Record("budget1", "deepseek-v4-pro", new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero), 0, 1_000_000, 1_000_000, key);
        await service.RecordAsync(record);
        Assert.Equal(1.305m, record.CostUsd);
        await runtime.Ledger.FlushAsync();

        key = (await service.AuthenticateAsync(created.Secret, true)).Key!;
        var refused = await service.AdmitAsync(key, "deepseek-v4-pro");
        Assert.Equal(GatewayErrorKind.Billing, refused.RejectionKind);
        var error = refused.ToException();
        Assert.Equal(402, error.Kind.StatusCode());
        Assert.Equal("Insufficient Balance", error.Message);
        Assert.Equal("billing_error", error.Kind.AnthropicType());
        Assert.Equal("unknown_error", error.Kind.OpenAIType());
        balance = await service.GetBalanceAsync(key);
        Assert.False(balance.IsAvailable);
        Assert.Equal("0.00", balance.BalanceInfos[0].TotalBalance);
    }
}
