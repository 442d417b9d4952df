using System.Net;
using System.Text.Json.Nodes;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Lanes.MessagesToChat;

/// <summary>
/// Claude Code 2.1.332's requests (captured): tool search (deferred tools, <c>ToolSearch</c>, <c>tool_reference</c>
/// results), mid-conversation tool changes (<c>tool_addition</c>), and its default model. Every one is served.
/// </summary>
public sealed class ClaudeCode2_1_332FixtureTests
{
    private static async Task<(RawAnswer Answer, JsonObject Upstream)> SendAsync(string name)
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Text("Done."));
        using var request = FixtureRequest(LoadFixture("2.1.332/" + name));
        var answer = await GatewayTestSupport.SendAsync(host.Http, request);
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
        return (answer, host.Upstream.LastRequest.Json!.AsObject());
    }

    private static List<string> ToolNames(JsonObject upstream) =>
        [.. ((JsonArray?)upstream["tools"] ?? []).Select(t => t!["function"]!["name"]!.GetValue<string>())];

    [Theory]
    [InlineData("first-request.json")]
    [InlineData("first-request-default-model.json")]
    [InlineData("tool-result-turn.json")]
    [InlineData("tool-reference-turn.json")]
    [InlineData("tool-addition-turn.json")]
    [InlineData("tool-search-fallback-turn.json")]
    public async Task Every_capture_is_served(string name)
    {
        var (_, upstream) = await SendAsync(name);
        // Deferred tools that nothing loaded stay out, like the placeholder that exists only to keep tool search on.
        Assert.DoesNotContain("DeferredToolPlaceholder", ToolNames(upstream));
    }

    [Fact]
    public async Task The_default_model_is_served_by_pro_with_its_effort()
    {
        var (answer, upstream) = await SendAsync("first-request-default-model.json");
        Assert.Equal("deepseek-v4-pro", answer.Header("x-switchyard-model"));
        Assert.Equal("deepseek-v4-pro", Str(upstream["model"]));
        Assert.Equal(128000, upstream["max_tokens"]!.GetValue<int>());
        Assert.Equal("high", Str(upstream["reasoning_effort"]));
    }

    [Fact]
    public async Task A_tool_reference_result_loads_the_deferred_tool_and_reads_as_text()
    {
        var (_, upstream) = await SendAsync("tool-reference-turn.json");
        Assert.Contains("WebFetch", ToolNames(upstream));
        Assert.Contains("ToolSearch", ToolNames(upstream));
        var tool = ((JsonArray)upstream["messages"]!).Single(m => Str(m!["role"]) == "tool")!;
        Assert.Equal("Tool loaded: WebFetch", Str(tool["content"]));
    }

    [Fact]
    public async Task A_tool_addition_loads_the_tools_it_names_and_the_message_text_stays()
    {
        var (_, upstream) = await SendAsync("tool-addition-turn.json");
        Assert.Contains("Glob", ToolNames(upstream));
        Assert.Contains("Grep", ToolNames(upstream));
        var messages = (JsonArray)upstream["messages"]!;
        Assert.Contains(messages, m => Str(m!["role"]) == "system" &&
                                       Str(m["content"])!.StartsWith("The following tools just became available", StringComparison.Ordinal));
        Assert.DoesNotContain("tool_addition", upstream.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deferred_tools_nothing_loaded_are_left_out()
    {
        var (_, upstream) = await SendAsync("first-request.json");
        var capture = LoadFixture("2.1.332/first-request.json")["body"]!["tools"]!.AsArray();
        var deferred = capture.Where(t => t!["defer_loading"]?.GetValue<bool>() == true).Select(t => t!["name"]!.GetValue<string>()).ToList();
        Assert.NotEmpty(deferred);
        Assert.Empty(ToolNames(upstream).Intersect(deferred));
        Assert.Equal(capture.Count - deferred.Count, ToolNames(upstream).Count);
    }
}
