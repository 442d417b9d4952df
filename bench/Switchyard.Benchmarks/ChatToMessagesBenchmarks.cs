using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Switchyard.Memory;
using Switchyard.Translation.ChatToMessages;

namespace Switchyard.Benchmarks;

/// <summary>
/// The Chat → Messages lane's translations, on the repository's fixtures (tests/fixtures/chat-to-messages):
/// a realistic 78 KB agent request (24 tools, a system prompt, a replayed tool turn) and a short chat request into
/// an Anthropic body; a Message with thinking, text and a tool call into a Chat Completion; and its 159-event
/// stream into chunks. Input parsing is outside the measurement (the lane parses the body once for every stage).
/// </summary>
[MemoryDiagnoser]
public class ChatToMessagesBenchmarks
{
    private const string UpstreamModel = "claude-sonnet-4-5";

    private JsonDocument _agentRequest = null!;
    private JsonDocument _shortRequest = null!;
    private JsonDocument _message = null!;
    private List<(string Name, JsonDocument Data)> _events = null!;
    private ChatToMessagesRequestTranslator _requests = null!;
    private MessagesToChatResponseTranslator _responses = null!;
    private IReasoningMemory _memory = null!;

    [GlobalSetup]
    public void Setup()
    {
        _memory = new InMemoryReasoningMemory(new ReasoningMemoryOptions());
        _memory.Remember(ReasoningKeys.ForReasoningText("I should write the file."), new ReasoningEntry("I should write the file.", "sig123"));
        _requests = new ChatToMessagesRequestTranslator(_memory);
        _responses = new MessagesToChatResponseTranslator(_memory);
        _agentRequest = JsonDocument.Parse(File.ReadAllBytes(FixturePath("agent-tool-turn.json")));
        _shortRequest = JsonDocument.Parse("""
            {"model":"claude-sonnet-4-5","messages":[{"role":"system","content":"You are a concise assistant."},
             {"role":"user","content":"What is the capital of France? Answer in one word."}],"max_tokens":256,"temperature":0.3,"stream":true}
            """);
        _message = JsonDocument.Parse(File.ReadAllBytes(FixturePath("message-response.json")));
        _events = [];
        string? name = null;
        foreach (var line in File.ReadLines(FixturePath("message-stream.sse"), Encoding.UTF8))
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                _events.Add((name!, JsonDocument.Parse(line[6..])));
            }
        }
    }

    [Benchmark]
    public int RequestAgentTurn() => _requests.Translate(_agentRequest.RootElement, UpstreamModel).Body.Length;

    [Benchmark]
    public int RequestShort() => _requests.Translate(_shortRequest.RootElement, UpstreamModel).Body.Length;

    [Benchmark]
    public int Response() => _responses.Translate(_message.RootElement).Body.Length;

    [Benchmark]
    public int Stream()
    {
        var translator = new MessagesToChatStreamTranslator(_memory, includeUsage: true);
        var chunks = new List<byte[]>(4);
        var bytes = 0;
        foreach (var (name, data) in _events)
        {
            translator.Process(name, data.RootElement, chunks);
            foreach (var chunk in chunks)
            {
                bytes += chunk.Length;
            }

            chunks.Clear();
        }

        return bytes;
    }

    private static string FixturePath(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Switchyard.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "fixtures", "chat-to-messages", file);
            }
        }

        throw new InvalidOperationException("Switchyard.sln not found above " + AppContext.BaseDirectory);
    }
}
