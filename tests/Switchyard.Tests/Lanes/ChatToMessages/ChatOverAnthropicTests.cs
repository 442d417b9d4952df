#pragma warning disable SCME0001, OPENAI001 // JsonPatch and reasoning effort are experimental in the SDK
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI.Chat;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using Switchyard.Tests.Lanes.ChatToChat;

namespace Switchyard.Tests.Lanes.ChatToMessages;

/// <summary>The OpenAI .NET SDK using a model served by an Anthropic-format upstream: Chat Completions ⇄ Messages.</summary>
public sealed class ChatOverAnthropicTests
{
    private const string Model = "claude-sonnet-4-5";

    private static ChatClient Client(AnthropicStack stack) => OpenAIFrontSupport.Chat(stack.Host, Model);

    [Fact]
    public async Task Plain_completion_is_translated_both_ways()
    {
        await using var stack = await AnthropicStack.StartAsync();
        stack.Anthropic.Enqueue(FakeAnthropicReply.Json(AnthropicScripts.Message(Model, """[{"type":"text","text":"Bonjour."}]""", "end_turn", input: 10, output: 4, cacheRead: 30)));

        var result = await Client(stack).CompleteChatAsync([new SystemChatMessage("Be French."), new UserChatMessage("Hello")],
            new ChatCompletionOptions { MaxOutputTokenCount = 300 });
        var completion = result.Value;

        Assert.Equal("Bonjour.", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(40, completion.Usage.InputTokenCount);
        Assert.Equal(30, completion.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(4, completion.Usage.OutputTokenCount);
        Assert.Equal(Model, OpenAIFrontSupport.Header(result, "x-switchyard-model"));

        var received = stack.Anthropic.LastRequest;
        Assert.Equal("/v1/messages", received.Path);
        Assert.Equal(stack.Anthropic.ApiKey, received.Header("x-api-key"));
        Assert.NotNull(received.Header("anthropic-version"));
        Assert.Null(received.Header("authorization"));
        var body = received.Json!;
        Assert.Equal(Model, body["model"]!.GetValue<string>());
        Assert.Equal(300, body["max_tokens"]!.GetValue<int>());
        Assert.Contains("Be French.", body["system"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("user", body["messages"]![0]!["role"]!.GetValue<string>());
        Assert.Null(body["thinking"]);
        Assert.Empty(stack.Host.Upstream.Requests);
    }

    /// <summary>
    /// What the Chat→Messages translator supports is served on its lane: DeepSeek's Chat Completions rules (which know
    /// no json_schema, no adaptive thinking and drop parallel_tool_calls) do not apply to an Anthropic-format upstream.
    /// </summary>
    [Fact]
    public async Task Json_schema_adaptive_thinking_and_parallel_tool_calls_false_are_served_on_this_lane()
    {
        await using var stack = await AnthropicStack.StartAsync();
        stack.Anthropic.Enqueue(FakeAnthropicReply.Json(AnthropicScripts.Message(Model, """[{"type":"text","text":"{\"city\":\"Paris\"}"}]""", "end_turn")));
        var body = new JsonObject
        {
            ["model"] = Model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Where is the Louvre?" }),
            ["thinking"] = new JsonObject { ["type"] = "adaptive" },
            ["response_format"] = new JsonObject
            {
                ["type"] = "json_schema",
                ["json_schema"] = new JsonObject
                {
                    ["name"] = "place",
                    ["strict"] = true,
                    ["schema"] = JsonNode.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}"""),
                },
            },
            ["tools"] = new JsonArray(new JsonObject
            {
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = "lookup", ["parameters"] = JsonNode.Parse("""{"type":"object","properties":{}}""") },
            }),
            ["parallel_tool_calls"] = false,
        };

        using var response = await stack.Host.Http.PostAsync("/v1/chat/completions",
            new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = stack.Anthropic.LastRequest.Json!;
        Assert.Equal("enabled", (string?)sent["thinking"]?["type"]);
        Assert.Equal("json_schema", (string?)sent["output_config"]?["format"]?["type"]);
        Assert.Equal("city", (string?)sent["output_config"]?["format"]?["schema"]?["required"]?[0]);
        Assert.True((bool?)sent["tool_choice"]?["disable_parallel_tool_use"]);
        Assert.Empty(stack.Host.Upstream.Requests);
    }

    [Fact]
    public async Task The_user_id_sent_upstream_is_the_gateway_policy_s_opaque_id()
    {
        await using var stack = await AnthropicStack.StartAsync();
        using var response = await stack.Host.Http.PostAsync("/v1/chat/completions", new StringContent(
            $$"""{"model":"{{Model}}","user":"alice@example.com","messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = (string?)stack.Anthropic.LastRequest.Json!["metadata"]?["user_id"];
        Assert.Matches("^sy_[0-9a-f]{32}$", sent!);
        Assert.DoesNotContain("alice", stack.Anthropic.LastRequest.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_with_include_usage_gives_text_and_usage_and_one_usage_only_chunk()
    {
        await using var stack = await AnthropicStack.StartAsync();
        stack.Anthropic.Enqueue(FakeAnthropicReply.Sse(AnthropicScripts.TextStream(Model, "Streaming from Claude.", input: 12, output: 6, cacheRead: 4)));

        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        await foreach (var update in Client(stack).CompleteChatStreamingAsync([new UserChatMessage("Stream please")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage = update.Usage ?? usage;
        }

        Assert.Equal("Streaming from Claude.", text.ToString());
        Assert.NotNull(usage);
        Assert.Equal(16, usage.InputTokenCount);
        Assert.Equal(4, usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(6, usage.OutputTokenCount);
        Assert.True(stack.Anthropic.LastRequest.Json!["stream"]!.GetValue<bool>());

        // The raw stream: exactly one usage-only chunk, right before [DONE].
        stack.Anthropic.Enqueue(FakeAnthropicReply.Sse(AnthropicScripts.TextStream(Model, "again", input: 3, output: 1)));
        var answer = await OpenAIFrontSupport.PostAsync(stack.Host, "/v1/chat/completions",
            """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}""");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var payloads = answer.DataPayloads();
        Assert.Equal("[DONE]", payloads[^1]);
        var chunks = payloads.Take(payloads.Count - 1).Select(p => JsonNode.Parse(p)!).ToList();
        Assert.Single(chunks, c => c["choices"] is JsonArray { Count: 0 });
        Assert.True(chunks[^1]["choices"] is JsonArray { Count: 0 });
        Assert.Equal(3, chunks[^1]["usage"]!["prompt_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Tool_calls_are_translated_both_ways()
    {
        await using var stack = await AnthropicStack.StartAsync();
        stack.Anthropic.Enqueue(FakeAnthropicReply.Json(AnthropicScripts.Message(Model,
            """[{"type":"text","text":"Checking."},{"type":"tool_use","id":"toolu_P","name":"get_weather","input":{"city":"Paris"}},{"type":"tool_use","id":"toolu_R","name":"get_time","input":{"timezone":"Europe/Rome"}}]""",
            "tool_use")));
        stack.Anthropic.Enqueue(FakeAnthropicReply.Json(AnthropicScripts.Message(Model, """[{"type":"text","text":"Sunny and noon."}]""", "end_turn")));
        var client = Client(stack);
        var messages = new List<ChatMessage> { new UserChatMessage("Weather in Paris, time in Rome?") };

        ChatCompletion first = await client.CompleteChatAsync(messages, ChatSdkTests.WeatherOptions());

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        Assert.Equal(2, first.ToolCalls.Count);
        Assert.Equal("toolu_P", first.ToolCalls[0].Id);
        Assert.Equal("get_weather", first.ToolCalls[0].FunctionName);
        Assert.Equal("Paris", JsonNode.Parse(first.ToolCalls[0].FunctionArguments.ToString())!["city"]!.GetValue<string>());
        var tools = stack.Anthropic.LastRequest.Json!["tools"]!.AsArray();
        Assert.Equal("get_weather", tools[0]!["name"]!.GetValue<string>());
        Assert.Equal("object", tools[0]!["input_schema"]!["type"]!.GetValue<string>());

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage("toolu_P", "sunny"));
        messages.Add(new ToolChatMessage("toolu_R", "12:00"));
        ChatCompletion second = await client.CompleteChatAsync(messages, ChatSdkTests.WeatherOptions());

        Assert.Equal("Sunny and noon.", second.Content[0].Text);
        var sent = stack.Anthropic.LastRequest.Json!["messages"]!.AsArray();
        Assert.Equal(3, sent.Count);
        var assistant = sent[1]!["content"]!.AsArray();
        Assert.Contains(assistant, b => b!["type"]!.GetValue<string>() == "tool_use" && b["id"]!.GetValue<string>() == "toolu_R");
        var results = sent[2]!["content"]!.AsArray();
        Assert.Equal(["toolu_P", "toolu_R"], results.Select(r => r!["tool_use_id"]!.GetValue<string>()).ToArray());
    }

    [Fact]
    public async Task Streamed_thinking_signature_survives_a_client_that_drops_reasoning_content()
    {
        await using var stack = await AnthropicStack.StartAsync();
        stack.Anthropic.Enqueue(FakeAnthropicReply.Sse(AnthropicScripts.ThinkingToolStream(Model, "I should call the weather tool.", "EqQBCkYIBxgCKkB-signature",
            ("toolu_S1", "get_weather", """{"city":"Paris"}"""))));
        stack.Anthropic.Enqueue(FakeAnthropicReply.Sse(AnthropicScripts.TextStream(Model, "It is sunny.")));
        var client = Client(stack);
        var options = ChatSdkTests.WeatherOptions();
        options.ReasoningEffortLevel = ChatReasoningEffortLevel.High;
        var messages = new List<ChatMessage> { new UserChatMessage("Weather in Paris?") };

        var reasoning = new StringBuilder();
        var calls = new SortedDictionary<int, (string Id, string Name, StringBuilder Args)>();
        await foreach (var update in client.CompleteChatStreamingAsync(messages, options))
        {
            if (update.Patch.TryGetValue("$.choices[0].delta.reasoning_content"u8, out string? piece) && piece is not null)
            {
                reasoning.Append(piece);
            }

            foreach (var call in update.ToolCallUpdates)
            {
                if (!calls.TryGetValue(call.Index, out var entry))
                {
                    calls[call.Index] = entry = (call.ToolCallId, call.FunctionName, new StringBuilder());
                }

                entry.Args.Append(call.FunctionArgumentsUpdate?.ToString());
            }
        }

        Assert.Equal("I should call the weather tool.", reasoning.ToString());
        var firstRequest = stack.Anthropic.LastRequest.Json!;
        Assert.Equal("enabled", firstRequest["thinking"]!["type"]!.GetValue<string>());

        var (id, name, args) = Assert.Single(calls).Value;
        messages.Add(new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall(id, name, BinaryData.FromString(args.ToString()))]));
        messages.Add(new ToolChatMessage(id, "sunny"));
        var text = new StringBuilder();
        await foreach (var update in client.CompleteChatStreamingAsync(messages, options))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.Equal("It is sunny.", text.ToString());
        var second = stack.Anthropic.LastRequest.Json!;
        Assert.Equal("enabled", second["thinking"]!["type"]!.GetValue<string>());
        var assistant = second["messages"]![1]!["content"]!.AsArray();
        Assert.Equal("thinking", assistant[0]!["type"]!.GetValue<string>());
        Assert.Equal("I should call the weather tool.", assistant[0]!["thinking"]!.GetValue<string>());
        Assert.Equal("EqQBCkYIBxgCKkB-signature", assistant[0]!["signature"]!.GetValue<string>());
        Assert.Contains(assistant, b => b!["type"]!.GetValue<string>() == "tool_use" && b["id"]!.GetValue<string>() == "toolu_S1");
    }

    [Fact]
    public async Task Non_streamed_thinking_signature_is_restored_whether_or_not_the_client_keeps_reasoning_content()
    {
        await using var stack = await AnthropicStack.StartAsync();
        stack.Anthropic.Enqueue(FakeAnthropicReply.Json(AnthropicScripts.Message(Model,
            """[{"type":"thinking","thinking":"Look it up.","signature":"sig-L-1"},{"type":"tool_use","id":"toolu_N1","name":"get_weather","input":{"city":"Oslo"}}]""",
            "tool_use")));
        const string tools = ""","tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]""";

        var first = await OpenAIFrontSupport.PostAsync(stack.Host, "/v1/chat/completions",
            """{"model":"claude-sonnet-4-5","thinking":{"type":"enabled"},"messages":[{"role":"user","content":"Oslo?"}]""" + tools + "}");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("Look it up.", first.Json!["choices"]![0]!["message"]!["reasoning_content"]!.GetValue<string>());

        foreach (var keep in new[] { true, false })
        {
            stack.Anthropic.Enqueue(FakeAnthropicReply.Json(AnthropicScripts.Message(Model, """[{"type":"text","text":"Cold."}]""", "end_turn")));
            var reasoning = keep ? "\"reasoning_content\":\"Look it up.\"," : "";
            var second = await OpenAIFrontSupport.PostAsync(stack.Host, "/v1/chat/completions",
                """{"model":"claude-sonnet-4-5","thinking":{"type":"enabled"},"messages":[{"role":"user","content":"Oslo?"},{"role":"assistant",""" + reasoning +
                """" "content":null,"tool_calls":[{"id":"toolu_N1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}]},{"role":"tool","tool_call_id":"toolu_N1","content":"-3C"}]"""" + tools + "}");
            Assert.Equal(HttpStatusCode.OK, second.Status);
            Assert.Null(second.Header("x-switchyard-thinking"));
            var block = stack.Anthropic.LastRequest.Json!["messages"]![1]!["content"]![0]!;
            Assert.Equal("thinking", block["type"]!.GetValue<string>());
            Assert.Equal("Look it up.", block["thinking"]!.GetValue<string>());
            Assert.Equal("sig-L-1", block["signature"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Image_url_data_url_becomes_an_image_block()
    {
        await using var stack = await AnthropicStack.StartAsync();
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3 };
        var message = new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("What is in this image?"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(png), "image/png"));

        ChatCompletion completion = await Client(stack).CompleteChatAsync([message]);

        Assert.Equal("Hello from fake Anthropic.", completion.Content[0].Text);
        var content = stack.Anthropic.LastRequest.Json!["messages"]![0]!["content"]!.AsArray();
        var image = Assert.Single(content, b => b!["type"]!.GetValue<string>() == "image")!;
        Assert.Equal("base64", image["source"]!["type"]!.GetValue<string>());
        Assert.Equal("image/png", image["source"]!["media_type"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String(png), image["source"]!["data"]!.GetValue<string>());
        Assert.Contains(content, b => b!["type"]!.GetValue<string>() == "text" && b["text"]!.GetValue<string>() == "What is in this image?");
    }

    [Fact]
    public async Task Upstream_anthropic_errors_become_openai_errors()
    {
        await using var stack = await AnthropicStack.StartAsync(extra: OpenAIFrontSupport.NoRetries());
        stack.Anthropic.Enqueue(FakeAnthropicReply.Error(429, "rate_limit_error", "too many", new Dictionary<string, string> { ["retry-after"] = "5" }));

        var answer = await OpenAIFrontSupport.PostAsync(stack.Host, "/v1/chat/completions", """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}]}""");

        OpenAIFrontSupport.AssertOpenAIError(answer, HttpStatusCode.TooManyRequests, "rate_limit_error");
        Assert.Equal("5", answer.Header("retry-after"));
    }

    [Fact]
    public async Task Upstream_401_is_a_500_for_openai_clients_too()
    {
        await using var stack = await AnthropicStack.StartAsync(extra: OpenAIFrontSupport.NoRetries(new Dictionary<string, string?> { ["Switchyard:Providers:0:ApiKey"] = "sk-ant-wrong-key-4321" }));

        var answer = await OpenAIFrontSupport.PostAsync(stack.Host, "/v1/chat/completions", """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}]}""");

        OpenAIFrontSupport.AssertOpenAIError(answer, HttpStatusCode.InternalServerError, "api_error");
        Assert.Equal("false", answer.Header("x-should-retry"));
        Assert.DoesNotContain("4321", answer.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(529, "overloaded_error", 503, "server_overloaded")]
    [InlineData(400, "invalid_request_error", 400, "invalid_request_error")]
    [InlineData(402, "billing_error", 402, "unknown_error")]
    public async Task Upstream_anthropic_error_kinds_map_to_openai_statuses(int upstream, string upstreamType, int expected, string type)
    {
        await using var stack = await AnthropicStack.StartAsync(extra: OpenAIFrontSupport.NoRetries());
        stack.Anthropic.Enqueue(FakeAnthropicReply.Error(upstream, upstreamType, "upstream detail " + upstreamType));

        var answer = await OpenAIFrontSupport.PostAsync(stack.Host, "/v1/chat/completions", """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}]}""");

        OpenAIFrontSupport.AssertOpenAIError(answer, (HttpStatusCode)expected, type);
        if (upstream == 400)
        {
            Assert.Contains("upstream detail", answer.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_truncated_upstream_stream_ends_with_an_error_chunk_not_done()
    {
        await using var stack = await AnthropicStack.StartAsync();
        var events = AnthropicScripts.TextStream(Model, "This stream is cut.");
        stack.Anthropic.Enqueue(FakeAnthropicReply.Sse(events.Take(4)));

        var answer = await OpenAIFrontSupport.PostAsync(stack.Host, "/v1/chat/completions",
            """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}],"stream":true}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var payloads = answer.DataPayloads();
        Assert.DoesNotContain("[DONE]", payloads);
        Assert.NotNull(JsonNode.Parse(payloads[^1])!["error"]);
    }

    [Fact]
    public async Task A_mid_stream_error_event_becomes_an_error_chunk()
    {
        await using var stack = await AnthropicStack.StartAsync();
        var events = AnthropicScripts.TextStream(Model, "Partial answer").Take(4).ToList();
        events.Add(("error", """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""));
        stack.Anthropic.Enqueue(FakeAnthropicReply.Sse(events));

        var answer = await OpenAIFrontSupport.PostAsync(stack.Host, "/v1/chat/completions",
            """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}],"stream":true}""");

        var payloads = answer.DataPayloads();
        Assert.DoesNotContain("[DONE]", payloads);
        var error = JsonNode.Parse(payloads[^1])!["error"]!;
        Assert.Equal("server_overloaded", error["type"]!.GetValue<string>());
        Assert.Contains(payloads, p => p.Contains("Partial", StringComparison.Ordinal));
    }
}
