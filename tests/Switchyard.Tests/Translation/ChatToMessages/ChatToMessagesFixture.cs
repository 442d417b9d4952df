using System.Text;
using System.Text.Json;
using Switchyard.Errors;
using Switchyard.Translation.ChatToMessages;

namespace Switchyard.Tests.Translation.ChatToMessages;

/// <summary>Helpers for the Chat Completions → Messages translation tests.</summary>
internal static class ChatToMessagesFixture
{
    public const string Upstream = "claude-sonnet-4-5";

    public static TranslatedChatRequest Translate(string json, DictionaryReasoningMemory? memory = null, ChatToMessagesOptions? options = null)
    {
        using var document = JsonDocument.Parse(json);
        return new ChatToMessagesRequestTranslator(memory ?? new DictionaryReasoningMemory(), options).Translate(document.RootElement, Upstream);
    }

    /// <summary>The Anthropic body for a Chat Completions request.</summary>
    public static JsonElement Body(string json, DictionaryReasoningMemory? memory = null, ChatToMessagesOptions? options = null) =>
        Parse(Translate(json, memory, options).Body);

    /// <summary>A request with one user message plus <paramref name="extra"/> top-level fields (",..." form).</summary>
    public static string Request(string extra = "", string messages = """[{"role":"user","content":"Hi"}]""") =>
        $$"""{"model":"deepseek-chat","messages":{{messages}}{{extra}}}""";

    public static JsonElement Parse(byte[] bytes)
    {
        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.Clone();
    }

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static GatewayException Invalid(string json, DictionaryReasoningMemory? memory = null)
    {
        var error = Assert.Throws<GatewayException>(() => Translate(json, memory));
        Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
        return error;
    }

    public static string[] Roles(JsonElement body) =>
        [.. body.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()!)];

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
