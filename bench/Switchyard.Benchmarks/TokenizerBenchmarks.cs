using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Switchyard.Tokenization;

namespace Switchyard.Benchmarks;

/// <summary>
/// Encodes/counts the full text of the Claude Code first-request fixture (every string of its body, joined by
/// newlines, the same text as the golden test's "first-request.json#FULL" entry), cold (cache cleared) and warm.
/// </summary>
[MemoryDiagnoser]
public class TokenizerBenchmarks
{
    private DeepSeekTokenizer _tokenizer = null!;
    private ChatTemplateTokenCounter _counter = null!;
    private List<TemplateMessage> _messages = null!;
    private List<string> _tools = null!;

    /// <summary>The fixture text.</summary>
    public string Text { get; private set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var path = Fixture.Path("first-request.json");
        Text = Fixture.FullText(path);
        _tokenizer = DeepSeekTokenizer.Create();
        _counter = new ChatTemplateTokenCounter(_tokenizer);
        (_messages, _tools) = Fixture.Conversation(path);
        _ = _tokenizer.Encode(Text);
    }

    [Benchmark]
    public int EncodeCold()
    {
        _tokenizer.ClearCache();
        return _tokenizer.Encode(Text).Length;
    }

    [Benchmark]
    public int CountCold()
    {
        _tokenizer.ClearCache();
        return _tokenizer.CountTokens(Text);
    }

    [Benchmark]
    public int EncodeWarm() => _tokenizer.Encode(Text).Length;

    [Benchmark(Baseline = true)]
    public int CountWarm() => _tokenizer.CountTokens(Text);

    /// <summary>Whole chat-template prompt count on a repeated request (memoized system prompt and tools).</summary>
    [Benchmark]
    public int ChatTemplateRepeated() => _counter.CountPromptTokens(_messages, _tools, thinking: false);
}

/// <summary>Locates and reads the Claude Code fixtures in tests/fixtures (same extraction as tests/golden/generate.mjs).</summary>
internal static class Fixture
{
    public static string Path(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Switchyard.sln")))
            {
                return System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "tests", "fixtures", "claude-code", file));
            }
        }

        throw new InvalidOperationException("Switchyard.sln not found above " + AppContext.BaseDirectory);
    }

    public static string FullText(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var strings = new List<string>();
        Walk(doc.RootElement.GetProperty("body"), strings);
        return string.Join("\n", strings);
    }

    // Strings in document order; "input_schema"/"input" values serialized compactly. (The benchmark only needs the
    // same amount and kind of text; exact JSON.stringify parity is checked by the tests.)
    private static void Walk(JsonElement e, List<string> output)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                output.Add(e.GetString()!);
                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray())
                {
                    Walk(item, output);
                }

                break;
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    if (p.Name is "input_schema" or "input")
                    {
                        output.Add(JsonSerializer.Serialize(p.Value));
                    }
                    else
                    {
                        Walk(p.Value, output);
                    }
                }

                break;
            default:
                break;
        }
    }

    public static (List<TemplateMessage> Messages, List<string> Tools) Conversation(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var body = doc.RootElement.GetProperty("body");
        var messages = new List<TemplateMessage>
        {
            new("system", string.Join("\n\n", body.GetProperty("system").EnumerateArray().Select(b => b.GetProperty("text").GetString()))),
        };
        foreach (var m in body.GetProperty("messages").EnumerateArray())
        {
            var content = m.GetProperty("content");
            var text = content.ValueKind == JsonValueKind.String
                ? content.GetString()
                : string.Join("\n", content.EnumerateArray().Where(b => b.GetProperty("type").GetString() == "text").Select(b => b.GetProperty("text").GetString()));
            messages.Add(new(m.GetProperty("role").GetString()!, text));
        }

        var tools = body.GetProperty("tools").EnumerateArray().Select(t => JsonSerializer.Serialize(new
        {
            type = "function",
            function = new { name = t.GetProperty("name").GetString(), description = t.GetProperty("description").GetString(), parameters = t.GetProperty("input_schema") },
        })).ToList();
        return (messages, tools);
    }
}
