#pragma warning disable OPENAI001 // The Responses client is marked experimental in the SDK
using System.ClientModel;
using OpenAI.Responses;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using static Switchyard.Tests.Lanes.ChatToChat.OpenAIFrontSupport;

namespace Switchyard.Tests.Lanes.ResponsesToChat;

/// <summary>The official OpenAI .NET SDK's Responses client against the real gateway and the fake DeepSeek.</summary>
public sealed class ResponsesSdkTests
{
    private static ResponsesClient Client(GatewayHost host) =>
        new(new ApiKeyCredential("sk-openai-client"), new ResponsesClientOptions
        {
            Endpoint = new Uri(host.BaseUrl, "v1"),
            RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(60),
        });

    [Fact]
    public async Task Create_get_input_items_and_delete_work_with_the_sdk()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "Paris.", Reasoning = "Easy.", PromptTokens = 30, CacheHitTokens = 10, CompletionTokens = 7 });
        var client = Client(host);

        var created = (await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = "deepseek-v4-flash",
            Instructions = "Answer in one word.",
            InputItems = { ResponseItem.CreateUserMessageItem("Capital of France?") },
            ReasoningOptions = new ResponseReasoningOptions { ReasoningSummaryVerbosity = ResponseReasoningSummaryVerbosity.Auto },
        })).Value;

        Assert.Equal(ResponseStatus.Completed, created.Status);
        Assert.Equal("Paris.", created.GetOutputText());
        Assert.Equal(30, created.Usage.InputTokenCount);
        Assert.Equal(10, created.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(7, created.Usage.OutputTokenCount);
        var reasoning = Assert.IsType<ReasoningResponseItem>(created.OutputItems[0]);
        Assert.Equal("Easy.", reasoning.GetSummaryText());

        var fetched = (await client.GetResponseAsync(created.Id)).Value;
        Assert.Equal("Paris.", fetched.GetOutputText());
        var inputs = new List<ResponseItem>();
        await foreach (var item in client.GetResponseInputItemsAsync(created.Id))
        {
            inputs.Add(item);
        }

        Assert.Equal("Capital of France?", Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(inputs)).Content[0].Text);
        Assert.True((await client.DeleteResponseAsync(created.Id)).Value.Deleted);
        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(created.Id));
        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task Streaming_with_the_sdk_gives_deltas_a_function_call_and_the_completed_response()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply
        {
            Content = "Checking the weather.",
            Reasoning = "Use the tool.",
            ToolCalls = [new FakeToolCall("get_weather", """{"city":"Paris"}""", "call_00_sdk")],
        });
        var client = Client(host);
        var options = new CreateResponseOptions
        {
            Model = "deepseek-v4-flash",
            InputItems = { ResponseItem.CreateUserMessageItem("Weather in Paris?") },
            Tools = { ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}"""), strictModeEnabled: false) },
            StreamingEnabled = true,
        };

        var text = new System.Text.StringBuilder();
        var arguments = new System.Text.StringBuilder();
        ResponseResult? completed = null;
        var sequence = new List<int>();
        await foreach (var update in await client.CreateResponseStreamingAsync(options))
        {
            sequence.Add(update.SequenceNumber);
            switch (update)
            {
                case StreamingResponseOutputTextDeltaUpdate delta:
                    text.Append(delta.Delta);
                    break;
                case StreamingResponseFunctionCallArgumentsDeltaUpdate args:
                    arguments.Append(args.Delta.ToString());
                    break;
                case StreamingResponseCompletedUpdate done:
                    completed = done.Response;
                    break;
            }
        }

        Assert.Equal(Enumerable.Range(0, sequence.Count), sequence);
        Assert.Equal("Checking the weather.", text.ToString());
        Assert.Equal("""{"city":"Paris"}""", arguments.ToString());
        Assert.NotNull(completed);
        var call = Assert.IsType<FunctionCallResponseItem>(completed.OutputItems.Last());
        Assert.Equal(("call_00_sdk", "get_weather"), (call.CallId, call.FunctionName));

        // The SDK's own items go back with the function's output.
        host.Upstream.Enqueue(FakeReply.Text("18 °C in Paris."));
        var next = new CreateResponseOptions { Model = "deepseek-v4-flash", Tools = { options.Tools[0] } };
        next.InputItems.Add(ResponseItem.CreateUserMessageItem("Weather in Paris?"));
        foreach (var item in completed.OutputItems)
        {
            next.InputItems.Add(item);
        }

        next.InputItems.Add(ResponseItem.CreateFunctionCallOutputItem("call_00_sdk", "18 °C"));
        var answer = (await client.CreateResponseAsync(next)).Value;
        Assert.Equal("18 °C in Paris.", answer.GetOutputText());
        var sent = host.Upstream.LastRequest.Json!["messages"]!.AsArray();
        Assert.Equal("Use the tool.", sent[1]!["reasoning_content"]!.GetValue<string>());
        Assert.Equal("tool", sent[2]!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task Previous_response_id_and_json_schema_work_with_the_sdk()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Text("Noted."));
        var client = Client(host);
        var first = (await client.CreateResponseAsync("deepseek-v4-flash", "My name is Ada.")).Value;

        host.Upstream.Enqueue(FakeReply.Text("""{"name":"Ada"}"""));
        var second = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = "deepseek-v4-flash",
            PreviousResponseId = first.Id,
            InputItems = { ResponseItem.CreateUserMessageItem("What is my name? Reply as JSON.") },
            TextOptions = new ResponseTextOptions
            {
                TextFormat = ResponseTextFormat.CreateJsonSchemaFormat("person", BinaryData.FromString("""{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}"""), jsonSchemaFormatDescription: null, jsonSchemaIsStrict: true),
            },
        });

        Assert.Equal("""{"name":"Ada"}""", second.Value.GetOutputText());
        Assert.Equal(first.Id, second.Value.PreviousResponseId);
        Assert.Equal("forced-tool", Header(second, "x-switchyard-structured-output"));
        var sent = host.Upstream.LastRequest.Json!["messages"]!.AsArray().Select(m => m!["content"]!.GetValue<string>()).ToList();
        Assert.Equal(["My name is Ada.", "Noted.", "What is my name? Reply as JSON."], sent);
    }
}
