using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Anthropic.Models.Models;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Lanes.MessagesToChat;

/// <summary>Non-streaming Messages API through the official C# SDK, checking both the SDK's view and the upstream request.</summary>
public sealed class MessagesSdkTests
{
    private static Tool WeatherTool(string name = "get_weather") => new()
    {
        Name = name,
        Description = "Current weather for a city",
        InputSchema = new InputSchema
        {
            Properties = new Dictionary<string, JsonElement>
            {
                ["city"] = JsonSerializer.SerializeToElement(new { type = "string" }),
            },
            Required = ["city"],
        },
    };

    private static MessageCreateParams Simple(string text = "Hello there", string model = "claude-sonnet-4-5", long maxTokens = 200) => new()
    {
        Model = model,
        MaxTokens = maxTokens,
        Messages = [new UserMessageParam { Content = text }],
    };

    private static TextBlock Text(ContentBlock block)
    {
        Assert.True(block.TryPickText(out var text), $"expected a text block, got {block.Type}");
        return text!;
    }

    private static ToolUseBlock ToolUse(ContentBlock block)
    {
        Assert.True(block.TryPickToolUse(out var tool), $"expected a tool_use block, got {block.Type}");
        return tool!;
    }

    private static ThinkingBlock Thinking(ContentBlock block)
    {
        Assert.True(block.TryPickThinking(out var thinking), $"expected a thinking block, got {block.Type}");
        return thinking!;
    }

    private static JsonNode Up(GatewayHost host) => host.Upstream.LastRequest.Json!;

    // ---------------- basics ----------------

    [Fact]
    public async Task Text_answer_and_upstream_request_shape()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Text("Bonjour!"));
        var message = await host.AnthropicClient().Messages.Create(Simple("Say hi"));

        Assert.StartsWith("msg_", message.ID, StringComparison.Ordinal);
        Assert.Equal("deepseek-v4-flash", message.Model.Raw());
        Assert.Equal("Bonjour!", Text(Assert.Single(message.Content)).Text);
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        Assert.Null(message.StopSequence);

        var up = Up(host);
        Assert.Equal("/chat/completions", host.Upstream.LastRequest.Path);
        Assert.Equal("deepseek-v4-flash", Str(up["model"]));
        Assert.Equal(200, up["max_tokens"]!.GetValue<int>());
        Assert.Equal("disabled", Str(up["thinking"]?["type"]));
        Assert.Null(up["stop"]);
        var msgs = (JsonArray)up["messages"]!;
        var user = Assert.Single(msgs)!;
        Assert.Equal("user", Str(user["role"]));
        Assert.Equal("Say hi", Str(user["content"]));
        Assert.Equal("Bearer " + host.Upstream.ApiKey, host.Upstream.LastRequest.Header("authorization"));
    }

    [Fact]
    public async Task System_string_becomes_leading_system_message()
    {
        await using var host = await GatewayHost.StartAsync();
        var p = Simple() with { System = "You are terse." };
        await host.AnthropicClient().Messages.Create(p);
        var msgs = UpstreamMessages(host);
        Assert.Equal(2, msgs.Count);
        Assert.Equal("system", Str(msgs[0]!["role"]));
        Assert.Equal("You are terse.", Str(msgs[0]!["content"]));
        Assert.Equal("user", Str(msgs[1]!["role"]));
    }

    [Fact]
    public async Task System_blocks_are_joined_and_billing_header_dropped()
    {
        await using var host = await GatewayHost.StartAsync();
        var p = Simple() with
        {
            System = new List<TextBlockParam>
            {
                new("x-anthropic-billing-header: cc_version=1.2.3; cc_entrypoint=cli;"),
                new("Block one."),
                new("Block two."),
            },
        };
        await host.AnthropicClient().Messages.Create(p);
        var msgs = UpstreamMessages(host);
        Assert.Equal("system", Str(msgs[0]!["role"]));
        Assert.Equal("Block one.\n\nBlock two.", Str(msgs[0]!["content"]));
        Assert.DoesNotContain("billing-header", host.Upstream.LastRequest.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consecutive_same_role_messages_are_merged()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Text("ok"));
        var p = new MessageCreateParams
        {
            Model = "claude-sonnet-4-5",
            MaxTokens = 100,
            Messages =
            [
                new UserMessageParam { Content = "A" },
                new UserMessageParam { Content = new List<ContentBlockParam> { new TextBlockParam("B1"), new TextBlockParam("B2") } },
                new AssistantMessageParam { Content = "C" },
                new AssistantMessageParam { Content = "D" },
                new UserMessageParam { Content = "E" },
            ],
        };
        var message = await host.AnthropicClient().Messages.Create(p);
        Assert.Equal("ok", Text(Assert.Single(message.Content)).Text);
        var msgs = UpstreamMessages(host);
        Assert.Equal(3, msgs.Count);
        Assert.Equal("user", Str(msgs[0]!["role"]));
        Assert.Equal("A\n\nB1\n\nB2", Str(msgs[0]!["content"]));
        Assert.Equal("assistant", Str(msgs[1]!["role"]));
        Assert.Equal("C\n\nD", Str(msgs[1]!["content"]));
        Assert.Equal("user", Str(msgs[2]!["role"]));
        Assert.Equal("E", Str(msgs[2]!["content"]));
        Assert.Null(msgs[1]!["prefix"]);
        Assert.Equal("/chat/completions", host.Upstream.LastRequest.Path);
    }

    // ---------------- stop sequences ----------------

    [Fact]
    public async Task Stop_sequence_hit_cuts_text_and_reports_sequence()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Text("one two END three four"));
        var p = Simple() with { StopSequences = ["NEVER", "END"] };
        var message = await host.AnthropicClient().Messages.Create(p);

        Assert.Equal(StopReason.StopSequence, message.StopReason!.Value());
        Assert.Equal("END", message.StopSequence);
        Assert.Equal("one two ", Text(Assert.Single(message.Content)).Text);
        Assert.True(message.Usage.OutputTokens >= 1);

        var up = Up(host);
        Assert.Null(up["stop"]);
        Assert.True(up["stream"]?.GetValue<bool>() == true, "stop sequences are matched on an upstream stream");
    }

    [Fact]
    public async Task Stop_sequence_not_hit_is_end_turn()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Text("nothing to see here"));
        var p = Simple() with { StopSequences = ["END"] };
        var message = await host.AnthropicClient().Messages.Create(p);
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        Assert.Null(message.StopSequence);
        Assert.Equal("nothing to see here", Text(Assert.Single(message.Content)).Text);
        Assert.Null(Up(host)["stop"]);
    }

    // ---------------- sampling / metadata ----------------

    [Fact]
    public async Task Temperature_and_top_p_are_passed_and_top_k_ignored()
    {
        await using var host = await GatewayHost.StartAsync();
        var body = SimpleBody();
        body["temperature"] = 0.3;
        body["top_p"] = 0.9;
        body["top_k"] = 40;
        var answer = await PostJsonAsync(host, "/v1/messages", body);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var up = Up(host);
        Assert.Equal(0.3, up["temperature"]!.GetValue<double>(), 6);
        Assert.Equal(0.9, up["top_p"]!.GetValue<double>(), 6);
        Assert.Null(up["top_k"]);
    }

    private static readonly Dictionary<string, string?> PassThroughUserIds = new() { ["Switchyard:Translation:UserId"] = "PassThrough" };

    [Fact]
    public async Task Metadata_user_id_is_sanitised()
    {
        await using var host = await GatewayHost.StartAsync(PassThroughUserIds);
        var p = Simple() with { Metadata = new Metadata { UserID = "{\"device_id\":\"abc\", \"session\":\"s-1_2\"}" } };
        await host.AnthropicClient().Messages.Create(p);
        var uid = Str(Up(host)["user_id"]);
        Assert.NotNull(uid);
        Assert.Matches("^[a-zA-Z0-9_-]{1,512}$", uid!);
        Assert.Contains("device_id", uid, StringComparison.Ordinal);
        Assert.Contains("s-1_2", uid, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Long_user_id_is_capped_at_512()
    {
        await using var host = await GatewayHost.StartAsync(PassThroughUserIds);
        var p = Simple() with { Metadata = new Metadata { UserID = new string('u', 2000) } };
        var message = await host.AnthropicClient().Messages.Create(p);
        Assert.NotEmpty(message.Content);
        Assert.Equal(512, Str(Up(host)["user_id"])!.Length);
    }

    // ---------------- tools ----------------

    [Fact]
    public async Task Parallel_tool_calls_then_tool_results_round_trip()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Tools(
            new FakeToolCall("get_weather", "{\"city\":\"Paris\"}", "call_00_paris"),
            new FakeToolCall("get_weather", "{\"city\":\"Tokyo\",\"units\":{\"c\":true}}", "call_01_tokyo")));
        var client = host.AnthropicClient();
        var first = await client.Messages.Create(Simple("Weather in Paris and Tokyo?") with { Tools = [WeatherTool()] });

        Assert.Equal(StopReason.ToolUse, first.StopReason!.Value());
        Assert.Equal(2, first.Content.Count);
        var a = ToolUse(first.Content[0]);
        var b = ToolUse(first.Content[1]);
        Assert.Equal("call_00_paris", a.ID);
        Assert.Equal("call_01_tokyo", b.ID);
        Assert.Equal("get_weather", a.Name);
        Assert.Equal("Paris", a.Input["city"].GetString());
        Assert.Equal("Tokyo", b.Input["city"].GetString());
        Assert.True(b.Input["units"].GetProperty("c").GetBoolean());

        var upTools = (JsonArray)Up(host)["tools"]!;
        var fn = Assert.Single(upTools)!;
        Assert.Equal("function", Str(fn["type"]));
        Assert.Equal("get_weather", Str(fn["function"]!["name"]));
        Assert.Equal("Current weather for a city", Str(fn["function"]!["description"]));
        Assert.Equal("object", Str(fn["function"]!["parameters"]!["type"]));

        host.Upstream.Enqueue(FakeReply.Text("Paris sunny; Tokyo unknown."));
        var second = await client.Messages.Create(new MessageCreateParams
        {
            Model = "claude-sonnet-4-5",
            MaxTokens = 200,
            Tools = [WeatherTool()],
            Messages =
            [
                new UserMessageParam { Content = "Weather in Paris and Tokyo?" },
                new AssistantMessageParam
                {
                    Content = new List<ContentBlockParam>
                    {
                        new ToolUseBlockParam { ID = a.ID, Name = a.Name, Input = a.Input },
                        new ToolUseBlockParam { ID = b.ID, Name = b.Name, Input = b.Input },
                    },
                },
                new UserMessageParam
                {
                    Content = new List<ContentBlockParam>
                    {
                        new ToolResultBlockParam(a.ID) { Content = "sunny, 21C" },
                        new ToolResultBlockParam(b.ID) { Content = "service down", IsError = true },
                    },
                },
            ],
        });
        Assert.Equal("Paris sunny; Tokyo unknown.", Text(Assert.Single(second.Content)).Text);
        Assert.Equal(StopReason.EndTurn, second.StopReason!.Value());

        var msgs = UpstreamMessages(host);
        Assert.Equal(4, msgs.Count);
        Assert.Equal("assistant", Str(msgs[1]!["role"]));
        var calls = (JsonArray)msgs[1]!["tool_calls"]!;
        Assert.Equal(2, calls.Count);
        Assert.Equal("call_00_paris", Str(calls[0]!["id"]));
        Assert.Equal("get_weather", Str(calls[0]!["function"]!["name"]));
        Assert.Equal("Paris", JsonNode.Parse(Str(calls[0]!["function"]!["arguments"])!)!["city"]!.GetValue<string>());
        Assert.Equal("call_01_tokyo", Str(calls[1]!["id"]));
        Assert.Equal("tool", Str(msgs[2]!["role"]));
        Assert.Equal("call_00_paris", Str(msgs[2]!["tool_call_id"]));
        Assert.Equal("sunny, 21C", Str(msgs[2]!["content"]));
        Assert.Equal("tool", Str(msgs[3]!["role"]));
        Assert.Equal("call_01_tokyo", Str(msgs[3]!["tool_call_id"]));
        Assert.Equal("[error] service down", Str(msgs[3]!["content"]));
    }

    [Fact]
    public async Task Thinking_enabled_tool_loop_replays_reasoning_content()
    {
        await using var host = await GatewayHost.StartAsync();
        var client = host.AnthropicClient();
        host.Upstream.Enqueue(new FakeReply
        {
            Reasoning = "I should call get_weather for Paris.",
            ToolCalls = [new FakeToolCall("get_weather", "{\"city\":\"Paris\"}", "call_00_think")],
        });
        var thinking = new ThinkingConfigEnabled(1024);
        var first = await client.Messages.Create(Simple("Weather in Paris?", maxTokens: 4096) with { Tools = [WeatherTool()], Thinking = thinking });

        Assert.Equal("enabled", Str(Up(host)["thinking"]?["type"]));
        Assert.Equal(StopReason.ToolUse, first.StopReason!.Value());
        Assert.Equal(2, first.Content.Count);
        var think = Thinking(first.Content[0]);
        Assert.Equal("I should call get_weather for Paris.", think.Thinking);
        Assert.StartsWith("sy1.", think.Signature, StringComparison.Ordinal);
        var call = ToolUse(first.Content[1]);
        Assert.Equal("call_00_think", call.ID);

        host.Upstream.Enqueue(FakeReply.Text("It is sunny in Paris.", reasoning: "The tool said sunny."));
        var second = await client.Messages.Create(new MessageCreateParams
        {
            Model = "claude-sonnet-4-5",
            MaxTokens = 4096,
            Thinking = thinking,
            Tools = [WeatherTool()],
            Messages =
            [
                new UserMessageParam { Content = "Weather in Paris?" },
                new AssistantMessageParam
                {
                    Content = new List<ContentBlockParam>
                    {
                        new ThinkingBlockParam { Thinking = think.Thinking, Signature = think.Signature },
                        new ToolUseBlockParam { ID = call.ID, Name = call.Name, Input = call.Input },
                    },
                },
                new UserMessageParam
                {
                    Content = new List<ContentBlockParam> { new ToolResultBlockParam(call.ID) { Content = "sunny" } },
                },
            ],
        });

        var msgs = UpstreamMessages(host);
        Assert.Equal("assistant", Str(msgs[1]!["role"]));
        Assert.Equal("I should call get_weather for Paris.", Str(msgs[1]!["reasoning_content"]));
        Assert.Equal("call_00_think", Str(msgs[1]!["tool_calls"]![0]!["id"]));
        Assert.Equal(2, second.Content.Count);
        Assert.Equal("The tool said sunny.", Thinking(second.Content[0]).Thinking);
        Assert.Equal("It is sunny in Paris.", Text(second.Content[1]).Text);
        Assert.Equal(StopReason.EndTurn, second.StopReason!.Value());
    }

    [Fact]
    public async Task Thinking_mode_tool_call_turn_without_thinking_gets_empty_reasoning_content()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Text("done"));
        var message = await host.AnthropicClient().Messages.Create(new MessageCreateParams
        {
            Model = "claude-sonnet-4-5",
            MaxTokens = 2048,
            Thinking = new ThinkingConfigAdaptive(),
            Tools = [WeatherTool()],
            Messages =
            [
                new UserMessageParam { Content = "Weather?" },
                new AssistantMessageParam
                {
                    Content = new List<ContentBlockParam>
                    {
                        new ToolUseBlockParam { ID = "toolu_x1", Name = "get_weather", Input = new Dictionary<string, JsonElement> { ["city"] = JsonSerializer.SerializeToElement("Oslo") } },
                    },
                },
                new UserMessageParam { Content = new List<ContentBlockParam> { new ToolResultBlockParam("toolu_x1") { Content = "snow" } } },
            ],
        });
        Assert.Contains(message.Content, b => b.TryPickText(out var t) && t!.Text == "done");
        var msgs = UpstreamMessages(host);
        Assert.Equal("", Str(msgs[1]!["reasoning_content"]));
        Assert.Equal("toolu_x1", Str(msgs[2]!["tool_call_id"]));
    }

    [Fact]
    public async Task Thinking_adaptive_enables_thinking_upstream()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Text("answer", reasoning: "pondering"));
        var message = await host.AnthropicClient().Messages.Create(Simple() with { Thinking = new ThinkingConfigAdaptive() });
        Assert.Equal("enabled", Str(Up(host)["thinking"]?["type"]));
        Assert.Equal(2, message.Content.Count);
        Assert.Equal("pondering", Thinking(message.Content[0]).Thinking);
        Assert.StartsWith("sy1.", Thinking(message.Content[0]).Signature, StringComparison.Ordinal);
        Assert.Equal("answer", Text(message.Content[1]).Text);
    }

    [Fact]
    public async Task Thinking_absent_is_disabled_upstream_and_no_thinking_block()
    {
        await using var host = await GatewayHost.StartAsync();
        // Even if the upstream returned reasoning, the client did not ask for it.
        host.Upstream.Enqueue(FakeReply.Text("plain", reasoning: "hidden reasoning"));
        var message = await host.AnthropicClient().Messages.Create(Simple());
        Assert.Equal("disabled", Str(Up(host)["thinking"]?["type"]));
        Assert.Null(Up(host)["reasoning_effort"]);
        Assert.Equal("plain", Text(Assert.Single(message.Content)).Text);
    }

    [Fact]
    public async Task Thinking_disabled_is_disabled_upstream()
    {
        await using var host = await GatewayHost.StartAsync();
        var message = await host.AnthropicClient().Messages.Create(Simple() with { Thinking = new ThinkingConfigDisabled() });
        Assert.Equal("disabled", Str(Up(host)["thinking"]?["type"]));
        Assert.All(message.Content, b => Assert.False(b.TryPickThinking(out _)));
    }

    [Theory]
    [InlineData("low", "high")]
    [InlineData("medium", "high")]
    [InlineData("high", "high")]
    [InlineData("xhigh", "max")]
    [InlineData("max", "max")]
    public async Task Effort_maps_to_reasoning_effort(string effort, string expected)
    {
        await using var host = await GatewayHost.StartAsync();
        var value = effort switch
        {
            "low" => Effort.Low,
            "medium" => Effort.Medium,
            "high" => Effort.High,
            "xhigh" => Effort.Xhigh,
            _ => Effort.Max,
        };
        var message = await host.AnthropicClient().Messages.Create(Simple() with
        {
            Thinking = new ThinkingConfigAdaptive(),
            OutputConfig = new OutputConfig { Effort = value },
        });
        Assert.NotEmpty(message.Content);
        Assert.Equal(expected, Str(Up(host)["reasoning_effort"]));
        Assert.Equal("enabled", Str(Up(host)["thinking"]?["type"]));
    }

    [Fact]
    public async Task Tool_choice_any_with_thinking_turns_thinking_off()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Tools(new FakeToolCall("get_weather", "{\"city\":\"Rome\"}")));
        var client = host.AnthropicClient();
        using var raw = await client.WithRawResponse.Messages.Create(Simple(maxTokens: 4096) with
        {
            Thinking = new ThinkingConfigEnabled(2048),
            Tools = [WeatherTool()],
            ToolChoice = new ToolChoiceAny(),
        });
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Equal("disabled-for-forced-tool-choice", raw.RawMessage.Headers.GetValues("x-switchyard-thinking").Single());
        var message = await raw.Deserialize();
        Assert.Equal(StopReason.ToolUse, message.StopReason!.Value());
        Assert.Equal("Rome", ToolUse(Assert.Single(message.Content)).Input["city"].GetString());
        var up = Up(host);
        Assert.Equal("disabled", Str(up["thinking"]?["type"]));
        Assert.Equal("required", Str(up["tool_choice"]));
    }

    [Fact]
    public async Task Tool_choice_tool_names_the_function()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Tools(new FakeToolCall("lookup", "{\"city\":\"Rome\"}")));
        var message = await host.AnthropicClient().Messages.Create(Simple() with
        {
            Tools = [WeatherTool(), WeatherTool("lookup")],
            ToolChoice = new ToolChoiceTool("lookup"),
        });
        Assert.Equal(StopReason.ToolUse, message.StopReason!.Value());
        var choice = Up(host)["tool_choice"]!;
        Assert.Equal("function", Str(choice["type"]));
        Assert.Equal("lookup", Str(choice["function"]!["name"]));
        Assert.Equal(2, ((JsonArray)Up(host)["tools"]!).Count);
    }

    [Fact]
    public async Task Tool_choice_auto_and_none_pass_through()
    {
        await using var host = await GatewayHost.StartAsync();
        var client = host.AnthropicClient();
        await client.Messages.Create(Simple() with { Tools = [WeatherTool()], ToolChoice = new ToolChoiceAuto() });
        Assert.Equal("auto", Str(Up(host)["tool_choice"]));
        await client.Messages.Create(Simple() with { Tools = [WeatherTool()], ToolChoice = new ToolChoiceNone() });
        Assert.Equal("none", Str(Up(host)["tool_choice"]));
    }

    // ---------------- models ----------------

    [Theory]
    [InlineData("claude-opus-4-7", "deepseek-v4-pro", "alias")]
    [InlineData("claude-opus-4-7[1m]", "deepseek-v4-pro", "alias")]
    [InlineData("claude-sonnet-4-5", "deepseek-v4-flash", "alias")]
    [InlineData("claude-haiku-4-5-20251001", "deepseek-v4-flash", "alias")]
    [InlineData("claude-sonnet-4-6[1m]", "deepseek-v4-flash", "alias")]
    [InlineData("deepseek-v4-pro", "deepseek-v4-pro", null)]
    [InlineData("deepseek-v4-flash[1m]", "deepseek-v4-flash", null)]
    [InlineData("gpt-4o", "deepseek-v4-flash", "default")]
    public async Task Model_aliases_and_remap_header(string requested, string upstreamModel, string? remap)
    {
        await using var host = await GatewayHost.StartAsync();
        using var raw = await host.AnthropicClient().WithRawResponse.Messages.Create(Simple(model: requested));
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        var message = await raw.Deserialize();
        Assert.Equal(upstreamModel, Str(Up(host)["model"]));
        Assert.Equal(upstreamModel, message.Model.Raw());
        Assert.Equal(upstreamModel, raw.RawMessage.Headers.GetValues("x-switchyard-model").Single());
        if (remap is null)
        {
            Assert.False(raw.RawMessage.Headers.Contains("x-switchyard-model-remapped"));
        }
        else
        {
            Assert.Equal(remap, raw.RawMessage.Headers.GetValues("x-switchyard-model-remapped").Single());
        }
    }

    [Theory]
    [InlineData("deepseek-chat", "disabled")]
    [InlineData("deepseek-reasoner", "enabled")]
    public async Task Legacy_deepseek_names_map_to_flash_with_thinking_default(string requested, string thinking)
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Text("hey", reasoning: "r"));
        var message = await host.AnthropicClient().Messages.Create(Simple(model: requested));
        Assert.Equal("deepseek-v4-flash", Str(Up(host)["model"]));
        Assert.Equal(thinking, Str(Up(host)["thinking"]?["type"]));
        Assert.Equal(thinking == "enabled" ? 2 : 1, message.Content.Count);
    }

    [Fact]
    public async Task Unknown_model_rejected_when_configured()
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:Models:UnknownModels"] = "Reject" });
        var ex = await Assert.ThrowsAsync<AnthropicNotFoundException>(() => host.AnthropicClient().Messages.Create(Simple(model: "gpt-4o")));
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Empty(host.Upstream.Requests);
        // aliases still work under Reject
        var ok = await host.AnthropicClient().Messages.Create(Simple(model: "claude-opus-4-7"));
        Assert.Equal("deepseek-v4-pro", ok.Model.Raw());

        var raw = await PostJsonAsync(host, "/v1/messages", SimpleBody(model: "no-such-model"));
        Assert.Equal(HttpStatusCode.NotFound, raw.Status);
        AssertErrorEnvelope(raw, "not_found_error");
    }

    // ---------------- max_tokens ----------------

    [Fact]
    public async Task Max_tokens_zero_warms_and_returns_empty_content()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Text("this should not be returned"));
        var message = await host.AnthropicClient().Messages.Create(Simple(maxTokens: 0));
        Assert.Empty(message.Content);
        Assert.Equal(StopReason.MaxTokens, message.StopReason!.Value());
        Assert.Equal(1, Up(host)["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Max_tokens_above_limit_is_400_without_upstream_call()
    {
        await using var host = await GatewayHost.StartAsync();
        var ex = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => host.AnthropicClient().Messages.Create(Simple(maxTokens: 393_217)));
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Empty(host.Upstream.Requests);

        var ok = await host.AnthropicClient().Messages.Create(Simple(maxTokens: 393_216));
        Assert.NotEmpty(ok.Content);
        Assert.Equal(393_216, Up(host)["max_tokens"]!.GetValue<int>());
    }

    // ---------------- usage / finish reasons ----------------

    [Fact]
    public async Task Usage_maps_cache_hits_to_cache_read()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "x", PromptTokens = 1000, CacheHitTokens = 768, CompletionTokens = 42 });
        var message = await host.AnthropicClient().Messages.Create(Simple());
        Assert.Equal(232, message.Usage.InputTokens);
        Assert.Equal(768, message.Usage.CacheReadInputTokens);
        Assert.Equal(42, message.Usage.OutputTokens);
        Assert.True(message.Usage.CacheCreationInputTokens is null or 0);
    }

    [Theory]
    [InlineData("length", "max_tokens")]
    [InlineData("content_filter", "refusal")]
    [InlineData("stop", "end_turn")]
    public async Task Finish_reasons_map_to_stop_reasons(string finish, string stopReason)
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "partial", FinishReason = finish });
        var answer = await PostJsonAsync(host, "/v1/messages", SimpleBody());
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(stopReason, Str(answer.Json!["stop_reason"]));
    }

    [Fact]
    public async Task Insufficient_system_resource_is_529_overloaded()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "partial", FinishReason = "insufficient_system_resource" });
        var answer = await PostJsonAsync(host, "/v1/messages", SimpleBody());
        Assert.Equal((HttpStatusCode)529, answer.Status);
        AssertErrorEnvelope(answer, "overloaded_error");

        host.Upstream.Enqueue(new FakeReply { Content = "partial", FinishReason = "insufficient_system_resource" });
        var ex = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => host.AnthropicClient().Messages.Create(Simple()));
        Assert.Equal((HttpStatusCode)529, ex.StatusCode);
    }

    // ---------------- upstream errors ----------------

    [Theory]
    [InlineData(400, 400, "invalid_request_error")]
    [InlineData(402, 402, "billing_error")]
    [InlineData(422, 422, "invalid_request_error")]
    [InlineData(500, 500, "api_error")]
    [InlineData(503, 529, "overloaded_error")]
    public async Task Upstream_errors_are_mapped(int upstreamStatus, int status, string type)
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Error(upstreamStatus));
        var answer = await PostJsonAsync(host, "/v1/messages", SimpleBody());
        Assert.Equal((HttpStatusCode)status, answer.Status);
        AssertErrorEnvelope(answer, type);
    }

    [Fact]
    public async Task Upstream_401_is_500_without_the_key_and_not_retried()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Error(401, FakeDeepSeek.ErrorJson(
            "Authentication Fails, Your api key: " + host.Upstream.ApiKey + " is invalid", "authentication_error")));
        var answer = await PostJsonAsync(host, "/v1/messages", SimpleBody());
        Assert.Equal(HttpStatusCode.InternalServerError, answer.Status);
        AssertErrorEnvelope(answer, "api_error");
        Assert.Equal("false", answer.Header("x-should-retry"));
        Assert.DoesNotContain(host.Upstream.ApiKey, answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("fake-upstream", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upstream_429_keeps_retry_after()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Error(429, headers: new Dictionary<string, string> { ["retry-after"] = "7" }));
        var answer = await PostJsonAsync(host, "/v1/messages", SimpleBody());
        Assert.Equal(HttpStatusCode.TooManyRequests, answer.Status);
        AssertErrorEnvelope(answer, "rate_limit_error");
        Assert.Equal("7", answer.Header("retry-after"));
    }

    [Fact]
    public async Task Upstream_errors_surface_as_sdk_exceptions()
    {
        await using var host = await GatewayHost.StartAsync();
        var client = host.AnthropicClient();
        host.Upstream.Enqueue(FakeReply.Error(400));
        var bad = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => client.Messages.Create(Simple()));
        Assert.False(string.IsNullOrEmpty(bad.RequestID));
        host.Upstream.Enqueue(FakeReply.Error(429));
        await Assert.ThrowsAsync<AnthropicRateLimitException>(() => client.Messages.Create(Simple()));
    }

    [Fact]
    public async Task Keep_alive_blank_lines_before_json_are_tolerated()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "after the wait", KeepAliveCount = 5, ChunkDelay = TimeSpan.FromMilliseconds(20) });
        var message = await host.AnthropicClient().Messages.Create(Simple());
        Assert.Equal("after the wait", Text(Assert.Single(message.Content)).Text);
    }

    [Fact]
    public async Task Stalled_upstream_is_504_timeout()
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:Upstream:FirstByteTimeout"] = "00:00:01" });
        host.Upstream.Enqueue(new FakeReply { Content = "late", StallBeforeFirstByte = TimeSpan.FromSeconds(10) });
        var started = DateTime.UtcNow;
        var answer = await PostJsonAsync(host, "/v1/messages", SimpleBody());
        Assert.Equal(HttpStatusCode.GatewayTimeout, answer.Status);
        AssertErrorEnvelope(answer, "timeout_error");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task Malformed_upstream_json_is_api_error()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "x", MalformedChunkAfter = 0 });
        var answer = await PostJsonAsync(host, "/v1/messages", SimpleBody());
        Assert.Equal(HttpStatusCode.InternalServerError, answer.Status);
        AssertErrorEnvelope(answer, "api_error");
    }

    // ---------------- models endpoints ----------------

    [Theory]
    [InlineData("")]
    [InlineData("/anthropic")]
    public async Task Models_list_and_retrieve_via_sdk(string prefix)
    {
        await using var host = await GatewayHost.StartAsync();
        var client = host.AnthropicClient(prefix);
        var page = await client.Models.List(new ModelListParams());
        var ids = page.Items.Select(m => m.ID).ToList();
        Assert.Contains("deepseek-v4-pro", ids);
        Assert.Contains("deepseek-v4-flash", ids);
        Assert.False(page.HasNext());

        var one = await client.Models.List(new ModelListParams { Limit = 1 });
        Assert.Single(one.Items);
        Assert.True(one.HasNext());
        var next = await one.Next();
        Assert.Single(next.Items);
        Assert.NotEqual(one.Items[0].ID, next.Items[0].ID);
        Assert.False(next.HasNext());

        var info = await client.Models.Retrieve("deepseek-v4-pro", new ModelRetrieveParams());
        Assert.Equal("deepseek-v4-pro", info.ID);
        Assert.Equal("DeepSeek V4 Pro", info.DisplayName);
        Assert.True(info.CreatedAt.Year >= 2020);

        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => client.Models.Retrieve("no-such-model", new ModelRetrieveParams()));
    }

    [Fact]
    public async Task Models_list_pagination_fields()
    {
        await using var host = await GatewayHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models?limit=1");
        request.Headers.Add("x-api-key", "k");
        request.Headers.Add("anthropic-version", "2023-06-01");
        var answer = await SendAsync(host.Http, request);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var json = answer.Json!;
        var data = (JsonArray)json["data"]!;
        Assert.Single(data);
        Assert.Equal("model", Str(data[0]!["type"]));
        Assert.True(json["has_more"]!.GetValue<bool>());
        Assert.Equal(Str(data[0]!["id"]), Str(json["first_id"]));
        Assert.Equal(Str(data[0]!["id"]), Str(json["last_id"]));
        Assert.NotNull(answer.Header("request-id"));

        using var notFound = new HttpRequestMessage(HttpMethod.Get, "/anthropic/v1/models/claude-nothing");
        var nf = await SendAsync(host.Http, notFound);
        Assert.Equal(HttpStatusCode.NotFound, nf.Status);
        AssertErrorEnvelope(nf, "not_found_error");
    }

    // ---------------- plumbing ----------------

    [Fact]
    public async Task Head_root_and_healthz_are_200()
    {
        await using var host = await GatewayHost.StartAsync();
        using var head = new HttpRequestMessage(HttpMethod.Head, "/");
        using var headResponse = await host.Http.SendAsync(head);
        Assert.Equal(HttpStatusCode.OK, headResponse.StatusCode);
        using var health = await host.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Theory]
    [InlineData("/v1/messages?beta=true")]
    [InlineData("/anthropic/v1/messages?beta=true")]
    [InlineData("/v1/messages")]
    [InlineData("/anthropic/v1/messages")]
    public async Task Both_prefixes_and_beta_query_work(string path)
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Text("routed"));
        var answer = await PostJsonAsync(host, path, SimpleBody());
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("routed", Str(answer.Json!["content"]![0]!["text"]));
        Assert.Equal("message", Str(answer.Json["type"]));
        Assert.Equal("assistant", Str(answer.Json["role"]));
        Assert.StartsWith("application/json", answer.ContentHeaders.ContentType!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/anthropic")]
    public async Task Sdk_works_on_both_prefixes(string prefix)
    {
        await using var host = await GatewayHost.StartAsync();
        var message = await host.AnthropicClient(prefix).Messages.Create(Simple("prefix test"));
        Assert.Contains("prefix test", Text(Assert.Single(message.Content)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_key_and_bearer_are_both_accepted_when_keys_are_configured()
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:Auth:Keys:0"] = "sk-client-test" });
        var viaKey = await PostJsonAsync(host, "/v1/messages", SimpleBody(), new Dictionary<string, string> { ["x-api-key"] = "sk-client-test" });
        Assert.Equal(HttpStatusCode.OK, viaKey.Status);
        var viaBearer = await PostJsonAsync(host, "/v1/messages", SimpleBody(), new Dictionary<string, string> { ["Authorization"] = "Bearer sk-client-test" });
        Assert.Equal(HttpStatusCode.OK, viaBearer.Status);
        var wrong = await PostJsonAsync(host, "/v1/messages", SimpleBody(), new Dictionary<string, string> { ["x-api-key"] = "sk-wrong" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        AssertErrorEnvelope(wrong, "authentication_error");
        var wrongBearer = await PostJsonAsync(host, "/v1/messages", SimpleBody(), new Dictionary<string, string> { ["Authorization"] = "Bearer sk-wrong" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrongBearer.Status);

        // SDK with an auth token instead of an api key
        var client = new global::Anthropic.AnthropicClient { BaseUrl = host.BaseUrl.ToString().TrimEnd('/'), AuthToken = "sk-client-test", MaxRetries = 0 };
        var message = await client.Messages.Create(Simple());
        Assert.NotEmpty(message.Content);
        var sdk = host.AnthropicClient();
        Assert.NotEmpty((await sdk.Messages.Create(Simple())).Content);
        Assert.DoesNotContain(host.Upstream.Requests, r => r.Body.Contains("sk-client-test", StringComparison.Ordinal) || (r.Header("x-api-key") is not null));
    }

    [Fact]
    public async Task Request_id_header_on_success_and_errors()
    {
        await using var host = await GatewayHost.StartAsync();
        using var raw = await host.AnthropicClient().WithRawResponse.Messages.Create(Simple());
        Assert.StartsWith("req_", raw.RequestID, StringComparison.Ordinal);

        var ok = await PostJsonAsync(host, "/v1/messages", SimpleBody());
        Assert.StartsWith("req_", ok.Header("request-id"), StringComparison.Ordinal);

        var bad = await PostJsonAsync(host, "/v1/messages", "{\"model\":\"claude-sonnet-4-5\"}");
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        AssertErrorEnvelope(bad, "invalid_request_error");

        host.Upstream.Enqueue(FakeReply.Error(500));
        var upstreamError = await PostJsonAsync(host, "/v1/messages", SimpleBody());
        Assert.Equal(HttpStatusCode.InternalServerError, upstreamError.Status);
        AssertErrorEnvelope(upstreamError, "api_error");

        using var missing = new HttpRequestMessage(HttpMethod.Get, "/v1/nothing-here");
        var notFound = await SendAsync(host.Http, missing);
        Assert.Equal(HttpStatusCode.NotFound, notFound.Status);
        AssertErrorEnvelope(notFound, "not_found_error");

        var ex = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => host.AnthropicClient().Messages.Create(Simple(maxTokens: 10_000_000)));
        Assert.StartsWith("req_", ex.RequestID, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Count_tokens_via_sdk()
    {
        await using var host = await GatewayHost.StartAsync();
        var count = await host.AnthropicClient().Messages.CountTokens(new MessageCountTokensParams
        {
            Model = "claude-sonnet-4-5",
            Messages = [new UserMessageParam { Content = "How many tokens is this sentence?" }],
            System = "Be brief.",
        });
        Assert.InRange(count.InputTokens, 5, 200);
        Assert.Empty(host.Upstream.Requests);
    }
}
