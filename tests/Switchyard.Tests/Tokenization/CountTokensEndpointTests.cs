using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic.Models.Messages;
using Switchyard.Tokenization;
using Switchyard.Tests.Infrastructure;
using Switchyard.Tests.Compatibility;
using Switchyard.Tests.Translation;

namespace Switchyard.Tests.Tokenization;

public sealed class CountTokensEndpointTests
{
    private static readonly Tool Weather = new()
    {
        Name = "get_weather",
        Description = "Current weather for a city, in degrees Celsius.",
        InputSchema = new InputSchema
        {
            Properties = new Dictionary<string, JsonElement>
            {
                ["city"] = JsonDocument.Parse("""{"type":"string","description":"City name"}""").RootElement,
            },
            Required = ["city"],
        },
    };

    [Fact]
    public async Task Sdk_count_with_system_and_tools_is_the_tokenizer_count_of_what_would_go_upstream()
    {
        await using var host = await GatewayHost.StartAsync();
        var client = host.AnthropicClient();
        var withTools = new MessageCountTokensParams
        {
            Model = "deepseek-v4-pro",
            System = "You are a terse assistant.",
            Tools = [Weather],
            Messages = [new UserMessageParam { Content = "What's the weather in Paris? 天气怎么样？" }],
        };
        var counted = await client.Messages.CountTokens(withTools);

        // The same body, translated as the Messages endpoint would, counted with DeepSeek's tokenizer and template.
        var body = JsonSerializer.SerializeToNode(withTools.RawBodyData)!.AsObject();
        body["max_tokens"] = 100;
        var expected = new DeepSeekTokenCounter().CountPrompt(TranslationFixture.Translate(body.ToJsonString()).Chat);
        Assert.Equal(expected, counted.InputTokens);

        var withoutTools = await client.Messages.CountTokens(new MessageCountTokensParams
        {
            Model = "deepseek-v4-pro",
            System = "You are a terse assistant.",
            Messages = [new UserMessageParam { Content = "What's the weather in Paris? 天气怎么样？" }],
        });
        Assert.True(counted.InputTokens > withoutTools.InputTokens + 10, $"{counted.InputTokens} vs {withoutTools.InputTokens}");
        Assert.Empty(host.Upstream.Requests);

        // message_start of a stream for the same request reports the same count.
        body["stream"] = true;
        using var response = await host.Http.PostAsync("/v1/messages", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var sse = await response.Content.ReadAsStringAsync();
        var start = sse.Split('\n').First(line => line.StartsWith("data: {\"type\":\"message_start\"", StringComparison.Ordinal));
        var startUsage = JsonNode.Parse(start["data: ".Length..])!["message"]!["usage"]!["input_tokens"]!.GetValue<int>();
        Assert.Equal(counted.InputTokens, startUsage);
    }

    [Fact]
    public async Task Claude_code_fixture_counts_exactly_and_rejected_blocks_get_the_same_400()
    {
        await using var host = await GatewayHost.StartAsync();
        var fixture = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(
            CompatibilityTableTests.RepoRoot(), "tests", "fixtures", "claude-code", "first-request.json")))!["body"]!.AsObject();
        var expected = new DeepSeekTokenCounter().CountPrompt(TranslationFixture.Translate(fixture.ToJsonString()).Chat);
        fixture.Remove("max_tokens");
        fixture.Remove("stream");
        using var response = await host.Http.PostAsJsonAsync("/anthropic/v1/messages/count_tokens?beta=true", fixture);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(expected, json["input_tokens"]!.GetValue<int>());
        Assert.InRange(expected, 10_000, 40_000);

        var image = JsonNode.Parse("""
            {"model":"deepseek-v4-flash","messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AA=="}}]}]}
            """);
        using var rejected = await host.Http.PostAsJsonAsync("/v1/messages/count_tokens", image);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, rejected.StatusCode);
        var error = JsonNode.Parse(await rejected.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Contains("messages[0].content[0]: content block type 'image'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
