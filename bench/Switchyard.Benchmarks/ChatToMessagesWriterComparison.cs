using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Switchyard.Benchmarks.Legacy;
using Switchyard.Memory;
using Switchyard.Translation.ChatToMessages;

namespace Switchyard.Benchmarks;

/// <summary>
/// The typed Chat → Messages request translation (reader, policy, source-generated writer) against the hand-written
/// Utf8JsonWriter translator it replaced, on the same requests in one process.
/// </summary>
[MemoryDiagnoser]
public class ChatToMessagesWriterComparison
{
    private JsonDocument _agent = null!;
    private JsonDocument _short = null!;
    private ChatToMessagesRequestTranslator _typed = null!;
    private LegacyChatToMessagesRequestTranslator _handWritten = null!;
    private ChatToMessagesReader _reader = null!;
    private ChatToMessagesWriter _writer = null!;
    private HandWrittenMessagesWriter _handWriter = null!;
    private ChatToMessagesOptions _options = null!;
    private (ChatToMessagesRequest Request, ChatToMessagesPolicy Policy) _agentRead;
    private (ChatToMessagesRequest Request, ChatToMessagesPolicy Policy) _shortRead;

    [GlobalSetup]
    public void Setup()
    {
        var memory = new InMemoryReasoningMemory(new ReasoningMemoryOptions());
        memory.Remember(ReasoningKeys.ForReasoningText("I should write the file."), new ReasoningEntry("I should write the file.", "sig123"));
        _typed = new ChatToMessagesRequestTranslator(memory);
        _handWritten = new LegacyChatToMessagesRequestTranslator(memory);
        var bench = new ChatToMessagesBenchmarks();
        bench.Setup();
        _agent = bench.AgentRequest;
        _short = bench.ShortRequest;
        _options = new ChatToMessagesOptions();
        _reader = new ChatToMessagesReader(memory, _options);
        _writer = new ChatToMessagesWriter(_options);
        _handWriter = new HandWrittenMessagesWriter(_options);
        _agentRead = Read(_agent);
        _shortRead = Read(_short);
        foreach (var (document, read) in new[] { (_agent, _agentRead), (_short, _shortRead) })
        {
            var expected = _handWritten.Translate(document.RootElement, "m").Body;
            if (!_typed.Translate(document.RootElement, "m").Body.AsSpan().SequenceEqual(expected) ||
                !_handWriter.Write(read.Request, read.Policy, "m").AsSpan().SequenceEqual(expected))
            {
                throw new InvalidOperationException("The translators disagree.");
            }
        }
    }

    private (ChatToMessagesRequest, ChatToMessagesPolicy) Read(JsonDocument document)
    {
        var request = _reader.Read(document.RootElement);
        return (request, ChatToMessagesPolicy.Decide(request, _options));
    }

    [Benchmark]
    public int AgentReadAndDecide() => Read(_agent).Item1.Messages.Count;

    [Benchmark]
    public int AgentWriteTyped() => _writer.Write(_agentRead.Request, _agentRead.Policy, "m").Length;

    [Benchmark]
    public int AgentWriteHandWritten() => _handWriter.Write(_agentRead.Request, _agentRead.Policy, "m").Length;

    [Benchmark]
    public int ShortReadAndDecide() => Read(_short).Item1.Messages.Count;

    [Benchmark]
    public int ShortWriteTyped() => _writer.Write(_shortRead.Request, _shortRead.Policy, "m").Length;

    [Benchmark]
    public int ShortWriteHandWritten() => _handWriter.Write(_shortRead.Request, _shortRead.Policy, "m").Length;

    [Benchmark(Baseline = true)]
    public int AgentHandWritten() => _handWritten.Translate(_agent.RootElement, "m").Body.Length;

    [Benchmark]
    public int AgentTyped() => _typed.Translate(_agent.RootElement, "m").Body.Length;

    [Benchmark]
    public int ShortHandWritten() => _handWritten.Translate(_short.RootElement, "m").Body.Length;

    [Benchmark]
    public int ShortTyped() => _typed.Translate(_short.RootElement, "m").Body.Length;
}

/// <summary>
/// The same comparison as an interleaved probe (<c>-- --compare-writers</c>), for a machine shared with other work:
/// rounds alternate the two, each timed in thread CPU time, and the best round of each and the median of the per-round ratios are kept.
/// </summary>
public static class ChatToMessagesWriterProbe
{
    public static void Run()
    {
        var c = new ChatToMessagesWriterComparison();
        c.Setup();
        Measure("agent, whole translation: f117394's translator vs reader+policy+typed writer", c.AgentHandWritten, c.AgentTyped, 20, 201);
        Measure("short, whole translation: f117394's translator vs reader+policy+typed writer", c.ShortHandWritten, c.ShortTyped, 2000, 201);
        Measure("agent, writer only: Utf8JsonWriter vs source-generated", c.AgentWriteHandWritten, c.AgentWriteTyped, 20, 201);
        Measure("short, writer only: Utf8JsonWriter vs source-generated", c.ShortWriteHandWritten, c.ShortWriteTyped, 2000, 201);
        Measure("agent: reader+policy vs whole typed translation", c.AgentReadAndDecide, c.AgentTyped, 20, 201);
        Measure("short: reader+policy vs whole typed translation", c.ShortReadAndDecide, c.ShortTyped, 2000, 201);
    }

    public static void Measure(string name, Func<int> handWritten, Func<int> typed, int perRound, int rounds)
    {
        for (var i = 0; i < perRound * 5; i++)
        {
            handWritten();
            typed();
        }

        var a = new double[rounds];
        var b = new double[rounds];
        for (var r = 0; r < rounds; r++)
        {
            if (r % 2 == 0)
            {
                a[r] = Time(handWritten, perRound);
                b[r] = Time(typed, perRound);
            }
            else
            {
                b[r] = Time(typed, perRound);
                a[r] = Time(handWritten, perRound);
            }
        }

        var ratios = a.Zip(b, (x, y) => y / x).Order().ToArray();
        Console.WriteLine($"{name}:\n  A best {a.Min():F2} µs, median {Median(a):F2} µs; B best {b.Min():F2} µs, median {Median(b):F2} µs; B/A per round: median {ratios[rounds / 2]:F3}, quartiles {ratios[rounds / 4]:F3}–{ratios[3 * rounds / 4]:F3}");
    }

    // CPU time of this thread, not wall time: on a machine shared with other work, time spent descheduled is not the code's.
    private static double Time(Func<int> f, int n)
    {
        var start = ThreadCpuMicroseconds();
        for (var i = 0; i < n; i++)
        {
            f();
        }

        return (ThreadCpuMicroseconds() - start) / n;
    }

    private static double ThreadCpuMicroseconds()
    {
        if (ClockGetTime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var ts) != 0)
        {
            throw new InvalidOperationException("clock_gettime failed");
        }

        return ts.Seconds * 1e6 + ts.Nanoseconds / 1e3;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec ts);

    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static double Median(double[] values) => values.Order().ElementAt(values.Length / 2);
}
