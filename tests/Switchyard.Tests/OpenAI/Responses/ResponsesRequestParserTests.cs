using System.Text.Json.Nodes;
using Switchyard.Errors;
using Switchyard.OpenAI.Responses;
using static Switchyard.Tests.ResponsesApi.ResponsesTestSupport;

namespace Switchyard.Tests.ResponsesApi;

public sealed class ResponsesRequestParserTests
{
    [Fact]
    public void A_string_input_is_one_user_message_and_defaults_apply()
    {
        var request = Parse("""{"model":"deepseek-v4-flash","input":"Hello"}""");

        var message = Assert.IsType<MessageItem>(Assert.Single(request.Input));
        Assert.Equal("user", message.Role);
        Assert.Equal("Hello", Assert.IsType<InputTextPart>(Assert.Single(message.Content)).Text);
        Assert.True(request.Store);
        Assert.True(request.ParallelToolCalls);
        Assert.False(request.Stream);
        Assert.Equal("auto", request.ToolChoice.Mode);
    }

    [Fact]
    public void Codex_first_turn_is_read_once_web_search_is_disabled()
    {
        var body = JsonNode.Parse(Fixture("codex/0.171.0/exec-first-turn.json"))!.AsObject();
        var tools = body["tools"]!.AsArray();
        tools.Remove(tools.Single(t => t!["type"]!.GetValue<string>() == "web_search"));

        var request = Parse(body.ToJsonString());

        Assert.True(request.Stream);
        Assert.False(request.Store);
        Assert.True(request.IncludeEncryptedReasoning);
        Assert.Equal("auto", request.ReasoningSummary);
        Assert.Null(request.ReasoningEffort);
        Assert.Contains(request.Tools, t => t is { Name: "exec_command", Kind: ResponsesToolKind.Function, Namespace: null });
        Assert.Contains(request.Tools, t => t is { Name: "spawn_agent", Namespace: "multi_agent_v1", UpstreamName: "multi_agent_v1__spawn_agent" });
        Assert.Equal(["developer", "developer", "user", "user"], request.Input.Cast<MessageItem>().Select(m => m.Role));
    }

    [Fact]
    public void Codex_default_tools_get_a_400_naming_web_search_and_the_setting_that_removes_it()
    {
        var error = Assert.Throws<GatewayException>(() => Parse(Fixture("codex/0.171.0/exec-first-turn.json")));

        Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
        Assert.Equal("tools", error.Param);
        Assert.Contains("'web_search'", error.Message, StringComparison.Ordinal);
        Assert.Contains("web_search = \"disabled\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Codex_tool_turn_replays_reasoning_call_and_output()
    {
        var body = JsonNode.Parse(Fixture("codex/0.171.0/exec-tool-turn.json"))!.AsObject();
        body.Remove("tools");

        var request = Parse(body.ToJsonString());

        var reasoning = Assert.IsType<ReasoningItem>(request.Input[^3]);
        Assert.Equal("ENC123", reasoning.EncryptedContent);
        Assert.Equal("I will write the file.", Assert.IsType<SummaryTextPart>(Assert.Single(reasoning.Summary)).Text);
        var call = Assert.IsType<FunctionCallItem>(request.Input[^2]);
        Assert.Equal(("call_1", "exec_command", "fc_1"), (call.CallId, call.Name, call.Id));
        var output = Assert.IsType<FunctionCallOutputItem>(request.Input[^1]);
        Assert.Equal("call_1", output.CallId);
        Assert.StartsWith("Chunk ID", output.Output.GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"type":"web_search_call","id":"ws_1","status":"completed","action":{"type":"search"}}]""", "input[0].type", "web_search_call")]
    [InlineData("""[{"type":"brand_new_item"}]""", "input[0].type", "brand_new_item")]
    [InlineData("""[{"type":"item_reference","id":"msg_1"}]""", "input[0].type", "item_reference")]
    [InlineData("""[{"type":"function_call","name":"f","arguments":"{}"}]""", "input[0].call_id", "call_id is required")]
    [InlineData("""[{"type":"function_call_output","output":"x"}]""", "input[0].call_id", "call_id is required")]
    [InlineData("""[{"type":"function_call_output","call_id":"c"}]""", "input[0].output", "output is required")]
    [InlineData("""[{"role":"user","content":[{"type":"input_image","image_url":"data:image/png;base64,AA=="}]}]""", "input[0].content[0].type", "images")]
    [InlineData("""[{"role":"tool","content":"x"}]""", "input[0].role", "must be one of")]
    [InlineData("""[{"content":"no role or type"}]""", "input[0].type", "type is required")]
    [InlineData("""[42]""", "input[0]", "must be an object")]
    public void Bad_items_are_400s_naming_the_place(string input, string param, string message)
    {
        var error = Assert.Throws<GatewayException>(() => Parse($$"""{"model":"m","input":{{input}}}"""));

        Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
        Assert.Equal(param, error.Param);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"m"}""", "input")]
    [InlineData("""{"input":"x"}""", "model")]
    [InlineData("""{"model":"m","input":"x","background":true}""", "background")]
    [InlineData("""{"model":"m","input":"x","conversation":"conv_1"}""", "conversation")]
    [InlineData("""{"model":"m","input":"x","prompt":{"id":"pmpt_1"}}""", "prompt")]
    [InlineData("""{"model":"m","input":"x","reasoning":{"effort":"extreme"}}""", "reasoning.effort")]
    [InlineData("""{"model":"m","input":"x","temperature":3}""", "temperature")]
    [InlineData("""{"model":"m","input":"x","max_output_tokens":0}""", "max_output_tokens")]
    [InlineData("""{"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"a"}}}""", "text.format.schema")]
    [InlineData("""{"model":"m","input":"x","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"function","name":"g"}}""", "tool_choice.name")]
    [InlineData("""{"model":"m","input":"x","tool_choice":{"type":"web_search_preview"}}""", "tool_choice")]
    [InlineData("""{"model":"m","input":"x","tools":[{"type":"function","name":"bad name"}]}""", "tools[0].name")]
    [InlineData("""{"model":"m","input":"x","tools":[{"type":"function","name":"f"},{"type":"function","name":"f"}]}""", "tools")]
    [InlineData("""{"model":"m","input":"x","metadata":{"a":1}}""", "metadata")]
    public void Bad_fields_are_400s_naming_the_field(string json, string param)
    {
        var error = Assert.Throws<GatewayException>(() => Parse(json));

        Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
        Assert.Equal(param, error.Param);
    }

    [Fact]
    public void Built_in_tools_are_rejected_together_each_with_its_reason()
    {
        var error = Assert.Throws<GatewayException>(() => Parse(
            """{"model":"m","input":"x","tools":[{"type":"function","name":"f"},{"type":"file_search","vector_store_ids":["vs_1"]},{"type":"computer_use_preview","display_width":1,"display_height":1,"environment":"linux"}]}"""));

        Assert.Contains("tools[1] 'file_search'", error.Message, StringComparison.Ordinal);
        Assert.Contains("tools[2] 'computer_use_preview'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nulls_and_unknown_fields_are_ignored_and_background_false_is_accepted()
    {
        var request = Parse("""{"model":"m","input":"x","instructions":null,"tools":null,"background":false,"some_future_field":{"a":1},"truncation":"auto","service_tier":"flex"}""");

        Assert.Null(request.Instructions);
        Assert.Empty(request.Tools);
    }

    [Fact]
    public void Custom_namespace_and_allowed_tools_are_read()
    {
        var request = Parse("""
            {"model":"m","input":"x",
             "tools":[{"type":"custom","name":"apply_patch","description":"Patch files","format":{"type":"grammar","syntax":"lark","definition":"start: /.+/"}},
                      {"type":"namespace","name":"crm","description":"CRM","tools":[{"type":"function","name":"lookup","parameters":{"type":"object"}}]},
                      {"type":"function","name":"other"}],
             "tool_choice":{"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"lookup","namespace":"crm"},{"type":"custom","name":"apply_patch"}]}}
            """);

        Assert.Equal(ResponsesToolKind.Custom, request.Tools[0].Kind);
        Assert.Equal("crm__lookup", request.Tools[1].UpstreamName);
        Assert.Equal("required", request.ToolChoice.Mode);
        Assert.True(request.ToolChoice.Allowed!.SetEquals(["crm__lookup", "apply_patch"]));
    }

    [Fact]
    public void Json_schema_format_and_reasoning_are_read()
    {
        var request = Parse("""
            {"model":"m","input":"x","reasoning":{"effort":"xhigh","summary":"detailed"},
             "text":{"format":{"type":"json_schema","name":"person","strict":true,"schema":{"type":"object","properties":{"name":{"type":"string"}}}}},
             "include":["reasoning.encrypted_content","message.output_text.logprobs"],"metadata":{"team":"a"},"safety_identifier":"u-1"}
            """);

        Assert.Equal(("xhigh", "detailed"), (request.ReasoningEffort, request.ReasoningSummary));
        Assert.Equal(ResponsesTextFormatKind.JsonSchema, request.TextFormat.Kind);
        Assert.Equal("person", request.TextFormat.Schema!.Name);
        Assert.True(request.TextFormat.Schema.Strict);
        Assert.True(request.IncludeEncryptedReasoning);
        Assert.Equal("a", request.Metadata["team"]);
    }
}
