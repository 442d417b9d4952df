using System.Text;
using System.Text.Json;
using Switchyard.Tests.Infrastructure;
using Switchyard.Translation.ChatToMessages;

namespace Switchyard.Tests.Translation.ChatToMessages;

/// <summary>
/// Anthropic answers and the exact Chat Completions bytes they translate to (tests/fixtures/chat-to-messages):
/// <c>responses.jsonl</c> (a Message and its completion a line) and <c>message-stream.sse</c> with its chunks, one a
/// line, with and without <c>include_usage</c>. Pins every byte the client gets, whichever way it is written.
/// </summary>
public sealed class ResponseSnapshotTests
{
    private static readonly FixedTime Clock = new(DateTimeOffset.FromUnixTimeSeconds(1_760_000_000));

    public static TheoryData<string> Responses() => [.. File.ReadLines(Fixture("responses.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("name").GetString()!)];

    private static string Fixture(string name) => RepositoryFixtures.Path("chat-to-messages", name);

    [Theory]
    [MemberData(nameof(Responses))]
    public void Completion_matches_the_snapshot_byte_for_byte(string name)
    {
        var line = File.ReadLines(Fixture("responses.jsonl")).Single(l => l.StartsWith($"{{\"name\":\"{name}\"", StringComparison.Ordinal));
        using var document = JsonDocument.Parse(line);
        var completion = new MessagesToChatResponseTranslator(new DictionaryReasoningMemory(), Clock).Translate(document.RootElement.GetProperty("message"));
        Assert.Equal(document.RootElement.GetProperty("expected").GetRawText(), Encoding.UTF8.GetString(completion.Body));
    }

    [Theory]
    [InlineData(false, "message-stream.chunks.jsonl")]
    [InlineData(true, "message-stream.chunks-usage.jsonl")]
    public void Stream_matches_the_snapshot_byte_for_byte(bool includeUsage, string expected)
    {
        Assert.Equal(File.ReadAllLines(Fixture(expected)), Chunks(includeUsage));
    }

    internal static List<string> Chunks(bool includeUsage)
    {
        var translator = new MessagesToChatStreamTranslator(new DictionaryReasoningMemory(), includeUsage, Clock);
        var output = new List<byte[]>();
        string? name = null;
        foreach (var line in File.ReadLines(Fixture("message-stream.sse")))
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                using var data = JsonDocument.Parse(line["data: ".Length..]);
                translator.Process(name, data.RootElement, output);
            }
        }

        Assert.True(translator.IsComplete);
        return [.. output.Select(Encoding.UTF8.GetString)];
    }
}
