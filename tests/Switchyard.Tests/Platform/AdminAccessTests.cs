using System.Net;
using Switchyard.Hosting;
using Switchyard.Platform;
using Switchyard.Tests.Infrastructure;
using Switchyard.Tests.Robustness;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Platform;

/// <summary>The admin key: long enough to start with, and not open to fast guessing.</summary>
public sealed class AdminAccessTests
{
    private const string AdminKey = "admin-access-tests-key-0123456789";

    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Theory]
    [InlineData("short")]
    [InlineData("admin-key-23-characters")]
    public void A_short_admin_key_stops_start_up_naming_the_setting(string key)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            SwitchyardApp.Build([], new Dictionary<string, string?> { ["Switchyard:Admin:Key"] = key, ["Switchyard:DataDirectory"] = Path.GetTempPath() }));
        Assert.Contains("Switchyard:Admin:Key", error.Message, StringComparison.Ordinal);
        Assert.Contains("24", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_keys_from_one_address_lock_it_out_for_the_window_right_key_included()
    {
        var time = new ManualTime();
        var options = new PlatformOptions();
        options.Admin.Key = AdminKey;
        var access = new AdminAccess(options, time);
        var guesser = IPAddress.Parse("192.0.2.7");
        var other = IPAddress.Parse("192.0.2.8");
        for (var i = 0; i < AdminAccess.MaxFailures; i++)
        {
            Assert.Equal(AdminOutcome.Denied, access.Check(guesser, ["guess-" + i]).Outcome);
        }

        var throttled = access.Check(guesser, [AdminKey]);
        Assert.Equal(AdminOutcome.Throttled, throttled.Outcome);
        Assert.Equal("60", throttled.RetryAfterSeconds);
        Assert.Equal(AdminOutcome.Granted, access.Check(other, [AdminKey]).Outcome);
        Assert.Equal(AdminOutcome.Missing, access.Check(other, []).Outcome);

        time.Now += AdminAccess.Window;
        Assert.Equal(AdminOutcome.Granted, access.Check(guesser, ["stale", AdminKey]).Outcome);
        Assert.Equal(AdminOutcome.Denied, access.Check(guesser, ["guess"]).Outcome);
    }

    [Fact]
    public async Task Guessing_over_http_is_refused_with_429_in_each_callers_format()
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:Admin:Key"] = AdminKey });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3_000 && statuses.LastOrDefault() != HttpStatusCode.TooManyRequests; i++)
        {
            statuses.Add((await GetAsync(host, i % 2 == 0 ? "/admin/keys" : "/dashboard/api/stats", "guess-" + i)).Status);
        }

        Assert.Equal(AdminAccess.MaxFailures + 1, statuses.Count);
        Assert.All(statuses.SkipLast(1), status => Assert.Equal(HttpStatusCode.Unauthorized, status));

        foreach (var path in new[] { "/admin/keys", "/admin/usage", "/dashboard/api/stats", "/admin/stats" })
        {
            var answer = await GetAsync(host, path, AdminKey);
            CallerFormats.AssertError(answer, path, HttpStatusCode.TooManyRequests);
            Assert.True(int.Parse(answer.Header("retry-after")!, System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 60);
        }
    }

    private static async Task<RawAnswer> GetAsync(GatewayHost host, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        return await SendAsync(host.Http, request);
    }
}
