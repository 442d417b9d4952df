#pragma warning disable OPENAI001 // DeveloperChatMessage is marked experimental in the SDK
using System.Text.Json.Nodes;
using OpenAI.Chat;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using static Switchyard.Tests.Lanes.ChatToChat.OpenAIFrontSupport;

namespace Switchyard.Tests.Lanes.ChatToChat;

/// <summary>The official OpenAI .NET SDK against the real gateway and a fake DeepSeek: plain, streaming, tools, JSON mode.</summary>
public sealed class ChatSdkTests
{
    [Fact]
    public async Task Plain_completion_reaches_the_sdk_with_content_usage_and_model()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "Paris.", Reasoning = "Capital of France.", PromptTokens = 30, CacheHitTokens = 10, CompletionTokens = 7 });
        var client = Chat(host, "deepseek-v4-flash");

        var result = await client.CompleteChatAsync([new UserChatMessage("Capital of France?")]);
        var completion = result.Value;

        Assert.Equal("Paris.", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal("deepseek-v4-flash", completion.Model);
        Assert.Equal(30, completion.Usage.InputTokenCount);
        Assert.Equal(7, completion.Usage.OutputTokenCount);
        Assert.Equal(10, completion.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal("deepseek-v4-flash", Header(result, "x-switchyard-model"));
        Assert.Null(Header(result, "x-switchyard-model-remapped"));

        var sent = host.Upstream.LastRequest;
        Assert.Equal("/chat/completions", sent.Path);
        Assert.Equal("Bearer " + host.Upstream.ApiKey, sent.Header("authorization"));
        Assert.Equal("deepseek-v4-flash", sent.Json!["model"]!.GetValue<string>());
        Assert.Equal("Capital of France?", sent.Json["messages"]![0]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Plain_completion_keeps_reasoning_content_for_the_raw_json()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "4", Reasoning = "2+2 is 4." });

        var answer = await PostAsync(host, "/v1/chat/completions",
            """{"model":"deepseek-v4-pro","messages":[{"role":"user","content":"2+2?"}],"thinking":{"type":"enabled"},"reasoning_effort":"high"}""");

        Assert.Equal(System.Net.HttpStatusCode.OK, answer.Status);
        var message = answer.Json!["choices"]![0]!["message"]!;
        Assert.Equal("2+2 is 4.", message["reasoning_content"]!.GetValue<string>());
        Assert.Equal("4", message["content"]!.GetValue<string>());
        var sent = host.Upstream.LastRequest.Json!;
        Assert.Equal("enabled", sent["thinking"]!["type"]!.GetValue<string>());
        Assert.Equal("high", sent["reasoning_effort"]!.GetValue<string>());
    }

    [Fact]
    public async Task Streaming_with_the_sdk_gives_text_and_usage()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "Streaming works fine.", Reasoning = "think", PromptTokens = 50, CompletionTokens = 12, KeepAliveCount = 2 });
        var client = Chat(host, "deepseek-v4-flash");

        var text = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Say something")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage = update.Usage ?? usage;
            finish = update.FinishReason ?? finish;
        }

        Assert.Equal("Streaming works fine.", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(50, usage.InputTokenCount);
        Assert.Equal(12, usage.OutputTokenCount);
        Assert.Equal(62, usage.TotalTokenCount);
        var sent = host.Upstream.LastRequest.Json!;
        Assert.True(sent["stream"]!.GetValue<bool>());
        Assert.True(sent["stream_options"]!["include_usage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Raw_stream_with_include_usage_has_exactly_one_usage_only_chunk_before_done_and_no_keep_alives()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "abcdefghij", Reasoning = "r", PromptTokens = 20, CompletionTokens = 5, KeepAliveCount = 3 });

        var answer = await PostAsync(host, "/v1/chat/completions",
            """{"model":"deepseek-v4-flash","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}""");

        Assert.Equal(System.Net.HttpStatusCode.OK, answer.Status);
        Assert.StartsWith("text/event-stream", answer.Header("content-type"));
        Assert.DoesNotContain(answer.Body.Split('\n'), line => line.StartsWith(':'));
        Assert.DoesNotContain("keep-alive", answer.Body, StringComparison.Ordinal);
        var payloads = answer.DataPayloads();
        Assert.Equal("[DONE]", payloads[^1]);
        Assert.Single(payloads, p => p == "[DONE]");
        var chunks = payloads.Take(payloads.Count - 1).Select(p => JsonNode.Parse(p)!).ToList();
        var usageOnly = chunks.Where(c => c["choices"] is JsonArray { Count: 0 }).ToList();
        Assert.Single(usageOnly);
        Assert.Same(usageOnly[0], chunks[^1]);
        Assert.Equal(20, usageOnly[0]["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(5, usageOnly[0]["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.Equal("chat.completion.chunk", usageOnly[0]["object"]!.GetValue<string>());
        Assert.Equal(chunks[0]["id"]!.GetValue<string>(), usageOnly[0]["id"]!.GetValue<string>());
        // DeepSeek's own final content chunk (finish_reason + usage) is passed on unchanged.
        Assert.Equal("stop", chunks[^2]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal("abcdefghij", string.Concat(chunks.SelectMany(c => c["choices"]!.AsArray())
            .Select(ch => ch!["delta"]?["content"]?.GetValue<string>() ?? "")));
    }

    [Fact]
    public async Task Raw_stream_without_include_usage_has_no_usage_only_chunk()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "hello there", KeepAliveCount = 1 });

        var answer = await PostAsync(host, "/chat/completions",
            """{"model":"deepseek-v4-flash","messages":[{"role":"user","content":"hi"}],"stream":true,"thinking":{"type":"disabled"}}""");

        Assert.Equal(System.Net.HttpStatusCode.OK, answer.Status);
        var payloads = answer.DataPayloads();
        Assert.Equal("[DONE]", payloads[^1]);
        Assert.DoesNotContain(payloads.Take(payloads.Count - 1).Select(p => JsonNode.Parse(p)!), c => c["choices"] is JsonArray { Count: 0 });
        Assert.DoesNotContain(answer.Body.Split('\n'), line => line.StartsWith(':'));
    }

    [Fact]
    public async Task Parallel_tool_calls_are_parsed_by_the_sdk()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Tools(
            new FakeToolCall("get_weather", """{"city":"Paris"}""", "call_P"),
            new FakeToolCall("get_time", """{"timezone":"Europe/Rome"}""", "call_R")));
        var client = Chat(host, "deepseek-v4-flash");
        var options = WeatherOptions();

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("Weather in Paris and time in Rome?")], options);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        Assert.Equal(2, completion.ToolCalls.Count);
        Assert.Equal("call_P", completion.ToolCalls[0].Id);
        Assert.Equal("get_weather", completion.ToolCalls[0].FunctionName);
        Assert.Equal("Paris", JsonNode.Parse(completion.ToolCalls[0].FunctionArguments.ToString())!["city"]!.GetValue<string>());
        Assert.Equal("call_R", completion.ToolCalls[1].Id);
        Assert.Equal("get_time", completion.ToolCalls[1].FunctionName);
        var sent = host.Upstream.LastRequest.Json!;
        Assert.Equal(2, sent["tools"]!.AsArray().Count);
        Assert.Equal("get_weather", sent["tools"]![0]!["function"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Streamed_interleaved_parallel_tool_calls_are_assembled_by_the_sdk()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply
        {
            ToolCalls = [new FakeToolCall("get_weather", """{"city":"Paris"}""", "call_P"), new FakeToolCall("get_time", """{"timezone":"Europe/Rome"}""", "call_R")],
            ToolCallInterleave = true,
            ChunkSize = 4,
        });
        var client = Chat(host, "deepseek-v4-flash");

        var ids = new Dictionary<int, string>();
        var names = new Dictionary<int, string>();
        var args = new Dictionary<int, System.Text.StringBuilder>();
        ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Both please")], WeatherOptions()))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                if (call.ToolCallId is { } id) ids[call.Index] = id;
                if (call.FunctionName is { } name) names[call.Index] = name;
                if (!args.TryGetValue(call.Index, out var sb)) args[call.Index] = sb = new System.Text.StringBuilder();
                if (call.FunctionArgumentsUpdate is { } a) sb.Append(a.ToString());
            }

            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal("call_P", ids[0]);
        Assert.Equal("call_R", ids[1]);
        Assert.Equal("get_weather", names[0]);
        Assert.Equal("get_time", names[1]);
        Assert.Equal("""{"city":"Paris"}""", args[0].ToString());
        Assert.Equal("""{"timezone":"Europe/Rome"}""", args[1].ToString());
    }

    [Fact]
    public async Task Json_mode_is_forwarded_as_json_object()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Text("""{"answer":42}"""));
        var client = Chat(host, "deepseek-v4-flash");
        var options = new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() };

        ChatCompletion completion = await client.CompleteChatAsync(
            [new SystemChatMessage("Answer in JSON."), new UserChatMessage("What is the answer? Reply as json.")], options);

        Assert.Equal(42, JsonNode.Parse(completion.Content[0].Text)!["answer"]!.GetValue<int>());
        Assert.Equal("json_object", host.Upstream.LastRequest.Json!["response_format"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Developer_role_is_sent_as_system_and_user_becomes_a_sanitised_user_id()
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:Translation:UserId"] = "PassThrough" });
        var client = Chat(host, "deepseek-v4-flash");
        var options = new ChatCompletionOptions { EndUserId = "alice@example.com" };

        ChatCompletion completion = await client.CompleteChatAsync([new DeveloperChatMessage("Be brief."), new UserChatMessage("Hi")], options);

        Assert.NotEmpty(completion.Content[0].Text);
        var sent = host.Upstream.LastRequest.Json!;
        Assert.Equal("system", sent["messages"]![0]!["role"]!.GetValue<string>());
        Assert.Equal("Be brief.", sent["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Null(sent["user"]);
        Assert.Equal("alice_example_com", sent["user_id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("deepseek-chat", "deepseek-v4-flash", "alias", "disabled")]
    [InlineData("deepseek-reasoner", "deepseek-v4-flash", "alias", "enabled")]
    [InlineData("claude-opus-4-1", "deepseek-v4-pro", "alias", null)]
    [InlineData("gpt-4o", "deepseek-v4-flash", "default", null)]
    [InlineData("deepseek-v4-pro", "deepseek-v4-pro", null, null)]
    public async Task Model_names_are_resolved_visibly(string requested, string served, string? remapped, string? thinking)
    {
        await using var host = await GatewayHost.StartAsync();
        var client = Chat(host, requested);

        var result = await client.CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.Equal(served, Header(result, "x-switchyard-model"));
        Assert.Equal(remapped, Header(result, "x-switchyard-model-remapped"));
        Assert.Equal(served, result.Value.Model);
        var sent = host.Upstream.LastRequest.Json!;
        Assert.Equal(served, sent["model"]!.GetValue<string>());
        Assert.Equal(thinking, sent["thinking"]?["type"]?.GetValue<string>());
    }

    [Theory]
    [InlineData("/chat/completions")]
    [InlineData("/v1/chat/completions")]
    [InlineData("/beta/chat/completions")]
    public async Task Every_chat_path_is_served(string path)
    {
        await using var host = await GatewayHost.StartAsync();

        var answer = await PostAsync(host, path, """{"model":"deepseek-v4-flash","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(System.Net.HttpStatusCode.OK, answer.Status);
        Assert.Equal("chat.completion", answer.Json!["object"]!.GetValue<string>());
        Assert.Equal(path.StartsWith("/beta", StringComparison.Ordinal) ? "/beta/chat/completions" : "/chat/completions", host.Upstream.LastRequest.Path);
    }

    internal static ChatCompletionOptions WeatherOptions() => new()
    {
        Tools =
        {
            ChatTool.CreateFunctionTool("get_weather", "Weather of a city", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""")),
            ChatTool.CreateFunctionTool("get_time", "Time in a timezone", BinaryData.FromString("""{"type":"object","properties":{"timezone":{"type":"string"}},"required":["timezone"]}""")),
        },
    };
}
