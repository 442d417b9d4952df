using Switchyard.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Switchyard.Tests.Robustness;

/// <summary>The generated bad-input corpus leaves the real server's resident memory near its idle size.</summary>
public sealed class BadInputMemoryTests(ITestOutputHelper output)
{
    private const double AllowedGrowthMegabytes = 50;

    [Fact]
    public async Task The_corpus_leaves_resident_memory_near_idle()
    {
        if (!MeasuredServer.Supported)
        {
            return;
        }

        await using var server = await MeasuredServer.StartAsync(new Dictionary<string, string>
        {
            ["Switchyard__Auth__Keys__0"] = BadInputCorpus.ClientKey,
            ["Switchyard__Admin__Key"] = BadInputCorpus.AdminKey,
        });
        var cases = BadInputCorpus.Generate(seed: 20_261_201);
        // Idle is the server after ordinary traffic at the same concurrency (valid requests of every endpoint, long
        // conversations included), so that what is measured is what the bad inputs leave, not the growth of the heap
        // and the runtime's pools to their working size under load.
        var valid = cases.Where(c => c.Class.EndsWith(":valid", StringComparison.Ordinal) || c.Class.EndsWith(":valid-large", StringComparison.Ordinal)).ToList();
        var traffic = Enumerable.Repeat(valid, 100).SelectMany(c => c).ToList();
        var idle = await server.WarmIdleMegabytesAsync(async () => Assert.Empty((await FuzzRunner.RunAsync(server.Http, traffic)).Failures));

        var report = await FuzzRunner.RunAsync(server.Http, cases);
        var after = await server.SettledMegabytesAsync();
        output.WriteLine($"resident: {idle:F0} MB idle after {traffic.Count * 3} valid requests, {after:F0} MB after {report.Count} bad ones");
        foreach (var line in report.Summary())
        {
            output.WriteLine(line);
        }

        Assert.Empty(report.Failures);
        Assert.True(after - idle <= AllowedGrowthMegabytes, $"resident memory grew from {idle:F0} MB to {after:F0} MB");
    }
}
