using System.Diagnostics;
using BenchmarkDotNet.Running;
using Switchyard.Benchmarks;
using Switchyard.Tokenization;

if (args.Length > 0 && args[0] == "--platform")
{
    await PlatformProbe.RunAsync();
    return;
}

if (args.Length > 0 && args[0] == "--load")
{
    // Cold, first-in-process load of the embedded vocabulary (includes JIT of the loader), then a first count.
    var sw = Stopwatch.StartNew();
    var tokenizer = DeepSeekTokenizer.Shared;
    var load = sw.Elapsed.TotalMilliseconds;
    sw.Restart();
    var n = tokenizer.CountTokens("Hello, world!");
    var first = sw.Elapsed.TotalMilliseconds;
    sw.Restart();
    _ = DeepSeekTokenizer.Create();
    var second = sw.Elapsed.TotalMilliseconds;
    var text = Fixture.FullText(Fixture.Path("first-request.json"));
    sw.Restart();
    var tokens = tokenizer.CountTokens(text);
    var firstFixture = sw.Elapsed.TotalMilliseconds;
    Console.WriteLine($"first Shared load: {load:F1} ms; first CountTokens: {first:F1} ms ({n} tokens); second load (JIT warm): {second:F1} ms");
    Console.WriteLine($"first count of the fixture text ({text.Length} chars, {tokens} tokens), JIT cold, cache cold: {firstFixture:F1} ms");
    return;
}

var summary = BenchmarkSwitcher.FromAssembly(typeof(TokenizerBenchmarks).Assembly).Run(args);
if (!summary.Any(s => s.BenchmarksCases.Any(c => c.Descriptor.Type == typeof(TokenizerBenchmarks))))
{
    return;
}

var bench = new TokenizerBenchmarks();
bench.Setup();
var count = DeepSeekTokenizer.Shared.CountTokens(bench.Text);
Console.WriteLine($"Fixture text: {bench.Text.Length} chars, {count} tokens");
foreach (var s in summary)
{
    foreach (var report in s.Reports)
    {
        if (report.ResultStatistics is { } stats)
        {
            var ms = stats.Mean / 1e6;
            if (report.BenchmarkCase.Descriptor.Type != typeof(TokenizerBenchmarks))
            {
                continue;
            }

            Console.WriteLine($"{report.BenchmarkCase.Descriptor.WorkloadMethod.Name,-22} {ms,9:F3} ms  {count / ms,10:F0} tokens/ms  {ms * 1000 / count,7:F4} ms per 1,000 tokens");
        }
    }
}
