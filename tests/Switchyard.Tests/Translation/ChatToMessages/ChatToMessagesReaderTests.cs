using System.Text.Json;
using Switchyard.Anthropic;
using Switchyard.Compatibility;
using Switchyard.Errors;
using Switchyard.Translation.ChatToMessages;
using static Switchyard.Tests.Translation.ChatToMessages.ChatToMessagesFixture;

namespace Switchyard.Tests.Translation.ChatToMessages;

/// <summary>
/// The reader against <see cref="CompatibilityTables.ChatToMessages"/>, row by row: whatever the table says of a
/// field, role, content part or tool type is what the reader does, so a row added or changed without the code
/// (or the other way round) fails here.
/// </summary>
public sealed class ChatToMessagesReaderTests
{
    private static CompatibilityTable Table => CompatibilityTables.ChatToMessages;

    public static TheoryData<string> Fields(params Support[] supports)
    {
        var data = new TheoryData<string>();
        foreach (var rule in Table.Rules.Where(r => r.Scope == CompatibilityScope.Field && !r.IsPattern && supports.Contains(r.Support)))
        {
            data.Add(rule.Name);
        }

        return data;
    }

    public static TheoryData<string> ReadFields() => Fields(Support.Honoured, Support.Translated);

    public static TheoryData<string> IgnoredFields() => Fields(Support.Ignored);

    private static ChatToMessagesRequest Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new ChatToMessagesReader(new DictionaryReasoningMemory(), new ChatToMessagesOptions()).Read(document.RootElement.Clone());
    }

    private static GatewayException ReadInvalid(string json)
    {
        var error = Assert.Throws<GatewayException>(() => Read(json));
        Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
        return error;
    }

    private static string WithField(string name, string value) =>
        name is "model" or "messages"
            ? Request().Replace($"\"{name}\":", $"\"{name}\":{value},\"_{name}\":", StringComparison.Ordinal)
            : Request($",\"{name}\":{value}");

    [Theory]
    [MemberData(nameof(ReadFields))]
    public void Every_field_the_table_honours_is_read_and_checked(string name)
    {
        // A number where the field wants a string, an object, an array, a boolean or an integer: only a reader that
        // reads the field notices.
        var error = ReadInvalid(WithField(name, "-1.5"));
        Assert.StartsWith(name, error.Param, StringComparison.Ordinal);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(IgnoredFields))]
    public void Every_field_the_table_ignores_is_dropped_whatever_its_value(string name)
    {
        var translated = Translate(WithField(name, "-1.5"));
        Assert.Equal(Text(Translate(Request()).Body), Text(translated.Body));
        Assert.Equal([name], translated.Dropped);
    }

    [Fact]
    public void Unknown_fields_follow_the_tables_pattern_row()
    {
        Assert.Equal(Support.Ignored, Table.Lookup(CompatibilityScope.Field, "some_future_field").Support);
        Assert.Equal(["some_future_field", "seed"], Read(Request(""","some_future_field":{"x":[1]},"seed":7""")).Dropped);
    }

    [Fact]
    public void Every_role_the_table_accepts_is_read_and_others_get_the_tables_note()
    {
        var roles = Table.Rules.Where(r => r.Scope == CompatibilityScope.Role && !r.IsPattern && r.Support != Support.Rejected).Select(r => r.Name).ToList();
        Assert.Equal(["system", "developer", "user", "assistant", "tool"], roles);
        var read = Read(Request(messages: """
            [{"role":"system","content":"s"},{"role":"developer","content":"d"},{"role":"user","content":"u"},
             {"role":"assistant","tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"t1","content":"r"}]
            """));
        Assert.Equal(["s", "d"], read.System);
        Assert.Equal(["user", "assistant", "user"], read.Messages.Select(m => m.Role));
        Assert.IsType<ToolResultBlockParam>(read.Messages[2].Content[0]);

        var error = ReadInvalid(Request(messages: """[{"role":"function","content":"x","name":"f"}]"""));
        Assert.Equal("messages[0].role", error.Param);
        Assert.Contains(Table.Lookup(CompatibilityScope.Role, "function").Note, error.Message, StringComparison.Ordinal);
        Assert.Contains("system, developer, user, assistant, tool", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Content_parts_follow_the_table_and_where_they_may_stand()
    {
        Assert.Equal(Support.Translated, Table.Lookup(CompatibilityScope.Part, "refusal").Support);
        var read = Read(Request(messages: """
            [{"role":"user","content":[{"type":"text","text":"look"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]},
             {"role":"assistant","content":[{"type":"text","text":"I can't "},{"type":"refusal","refusal":"help with that."}]},{"role":"user","content":"ok"}]
            """));
        Assert.Equal([new TextBlockParam("look"), new ImageBlockParam(new UrlImageSource("https://example.com/a.png"))], read.Messages[0].Content);
        Assert.Equal([new TextBlockParam("I can't help with that.")], read.Messages[1].Content);

        var rejected = ReadInvalid(Request(messages: """[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"x","format":"wav"}}]}]"""));
        Assert.Equal("messages[0].content[0]", rejected.Param);
        Assert.Contains(Table.Lookup(CompatibilityScope.Part, "input_audio").Note, rejected.Message, StringComparison.Ordinal);

        // Honoured parts, in a message where they cannot stand.
        Assert.Contains("not allowed in a user message", ReadInvalid(Request(messages: """[{"role":"user","content":[{"type":"refusal","refusal":"no"}]}]""")).Message, StringComparison.Ordinal);
        Assert.Contains("only text parts", ReadInvalid(Request(messages: """
            [{"role":"system","content":[{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]},{"role":"user","content":"u"}]
            """)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tool_types_follow_the_table()
    {
        var read = Read(Request(""","tools":[{"type":"function","function":{"name":"a"}},{"function":{"name":"b"}}]"""));
        Assert.Equal(["a", "b"], read.Tools.Select(t => t.Name));

        var error = ReadInvalid(Request(""","tools":[{"type":"code_interpreter"}]"""));
        Assert.Equal("tools[0].type", error.Param);
        Assert.Contains(Table.Lookup(CompatibilityScope.Tool, "code_interpreter").Note, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_conversation_is_read_into_anthropic_turns()
    {
        var read = Read(Request(messages: """
            [{"role":"user","content":"a"},{"role":"tool","tool_call_id":"t0","content":""},{"role":"user","content":"b"},
             {"role":"assistant","content":"x","tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":"{\"k\":1}"}}]},
             {"role":"tool","tool_call_id":"t1","content":"r"},{"role":"user","content":"c"}]
            """));
        Assert.Equal(["user", "assistant", "user"], read.Messages.Select(m => m.Role));
        // Tool results first in a user turn, an empty result without content.
        Assert.Equal([new ToolResultBlockParam("t0", null), new TextBlockParam("a"), new TextBlockParam("b")], read.Messages[0].Content);
        var call = Assert.IsType<ToolUseBlockParam>(read.Messages[1].Content[1]);
        Assert.Equal(("t1", "f", """{"k":1}"""), (call.Id, call.Name, call.Input.GetRawText()));
        Assert.Equal([new ToolResultBlockParam("t1", "r"), new TextBlockParam("c")], read.Messages[2].Content);
    }

    [Fact]
    public void Scalar_fields_are_read_as_given()
    {
        var read = Read(Request(""","max_tokens":900,"max_completion_tokens":700,"temperature":1.5,"top_p":0.5,"stop":["a",""],"user":"u","stream":true,"stream_options":{"include_usage":true},"thinking":{"type":"adaptive","budget_tokens":2000},"reasoning_effort":"MAX","response_format":{"type":"json_object"},"parallel_tool_calls":false"""));
        Assert.Equal(700, read.MaxTokens);
        Assert.Equal((1.5, 0.5), (read.Temperature, read.TopP));
        Assert.Equal(["a"], read.StopSequences);
        Assert.Equal("u", read.UserId);
        Assert.True(read.Stream && read.IncludeUsage && read.JsonObject);
        Assert.Equal((true, 2000, "max"), (read.ThinkingType, read.BudgetTokens, read.ReasoningEffort));
        Assert.False(read.ParallelToolCalls);
        Assert.False(Read(Request(""","stream_options":{"include_usage":true}""")).IncludeUsage);
    }
}
