using System.Text;
using System.Text.Json;
using Switchyard.Memory;
using Switchyard.Tests.Infrastructure;
using Switchyard.Translation.ChatToMessages;

namespace Switchyard.Tests.Translation.ChatToMessages;

/// <summary>
/// Chat Completions requests and the exact Anthropic bodies they translate to (tests/fixtures/chat-to-messages/
/// translations.jsonl, one case a line): every byte of the upstream request is pinned, so a refactor of the reader,
/// policy or writer that changes one shows here.
/// </summary>
public sealed class TranslationSnapshotTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var line in File.ReadLines(RepositoryFixtures.Path("chat-to-messages", "translations.jsonl")))
        {
            using var document = JsonDocument.Parse(line);
            data.Add(document.RootElement.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Translation_matches_the_snapshot_byte_for_byte(string name)
    {
        var line = File.ReadLines(RepositoryFixtures.Path("chat-to-messages", "translations.jsonl"))
            .Single(l => l.Contains($"\"name\":\"{name}\"", StringComparison.Ordinal));
        using var document = JsonDocument.Parse(line);
        var testCase = document.RootElement;
        var translated = Translate(testCase);

        Assert.Equal(testCase.GetProperty("expected").GetRawText(), Encoding.UTF8.GetString(translated.Body));
        var facts = testCase.GetProperty("facts");
        Assert.Equal(facts.GetProperty("stream").GetBoolean(), translated.Stream);
        Assert.Equal(facts.GetProperty("includeUsage").GetBoolean(), translated.IncludeUsage);
        Assert.Equal(facts.GetProperty("thinking").GetBoolean(), translated.Thinking);
        Assert.Equal(facts.GetProperty("fallback").GetString(), translated.ThinkingFallback.ToString());
        Assert.Equal(facts.GetProperty("budget").ValueKind == JsonValueKind.Null ? null : facts.GetProperty("budget").GetInt32(), translated.ThinkingBudget);
        Assert.Equal(facts.GetProperty("maxTokens").GetInt32(), translated.MaxTokens);
        Assert.Equal(facts.GetProperty("clientModel").GetString(), translated.ClientModel);
    }

    /// <summary>Translates a case's request, with its <c>remember</c> entries in the reasoning memory first.</summary>
    internal static TranslatedChatRequest Translate(JsonElement testCase)
    {
        var memory = new DictionaryReasoningMemory();
        if (testCase.TryGetProperty("remember", out var entries))
        {
            foreach (var entry in entries.EnumerateArray())
            {
                var reasoning = entry.GetProperty("reasoning").GetString()!;
                var remembered = new ReasoningEntry(reasoning, entry.GetProperty("signature").GetString());
                memory.Remember(ReasoningKeys.ForReasoningText(reasoning), remembered);
                if (entry.TryGetProperty("toolCalls", out var ids))
                {
                    memory.Remember(ReasoningKeys.ForToolCalls([.. ids.EnumerateArray().Select(id => id.GetString()!)]), remembered);
                }
            }
        }

        var translator = new ChatToMessagesRequestTranslator(memory);
        if (testCase.TryGetProperty("requestFile", out var file))
        {
            using var request = JsonDocument.Parse(File.ReadAllBytes(RepositoryFixtures.Path("chat-to-messages", file.GetString()!)));
            return translator.Translate(request.RootElement, ChatToMessagesFixture.Upstream);
        }

        return translator.Translate(testCase.GetProperty("request"), ChatToMessagesFixture.Upstream);
    }
}
