using System.Text.Json;
using Switchyard.Compatibility;
using Switchyard.Models;
using Switchyard.OpenAI.Responses;
using Switchyard.Tests.Translation.ChatToMessages;
using Switchyard.Translation;

namespace Switchyard.Tests.ResponsesApi;

/// <summary>Builders shared by the Responses unit tests.</summary>
internal static class ResponsesTestSupport
{
    public static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    public static ModelCatalog Catalog { get; } = new(new ModelCatalogOptions());

    public static ResponsesRequest Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ResponsesRequestParser.Parse(document.RootElement, CompatibilityTables.ResponsesToChat);
    }

    public static ResponsesRequestTranslator Translator(DictionaryReasoningMemory? memory = null) =>
        new(new ReasoningSeal(Key), memory ?? new DictionaryReasoningMemory(), new TranslationOptions());

    public static TranslatedResponsesRequest Translate(
        string json, DictionaryReasoningMemory? memory = null, IReadOnlyList<ResponseItem>? history = null, string model = "deepseek-v4-flash", bool strictAvailable = false)
    {
        var request = Parse(json);
        return Translator(memory).Translate(request, history ?? [], Catalog.Resolve(model), strictAvailable);
    }

    /// <summary>The Chat request as DeepSeek receives it.</summary>
    public static JsonElement UpstreamJson(TranslatedResponsesRequest translated) =>
        JsonSerializer.SerializeToElement(translated.Chat, Switchyard.OpenAI.OpenAIJsonContext.Default.ChatCompletionRequest);

    public static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(Compatibility.CompatibilityTableTests.RepoRoot(), "tests", "fixtures", name));
}
