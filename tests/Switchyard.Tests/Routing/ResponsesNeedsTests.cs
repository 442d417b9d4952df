using System.Net;
using System.Text.Json;
using Switchyard.Routing;
using Switchyard.Tests.Resilience;
using static Switchyard.Tests.Lanes.ChatToChat.OpenAIFrontSupport;

namespace Switchyard.Tests.Routing;

/// <summary>What a Responses API request needs from a route, read from its body.</summary>
public sealed class ResponsesNeedsTests
{
    [Fact]
    public void Model_tools_thinking_and_images_are_read_from_a_responses_body()
    {
        using var body = JsonDocument.Parse("""
            {"model":"deepseek-v4-pro","reasoning":{"effort":"high"},"tools":[{"type":"function","name":"f"}],
             "input":[{"role":"user","content":[{"type":"input_text","text":"What is this?"},{"type":"input_image","image_url":"data:image/png;base64,AA=="}]}]}
            """);

        var needs = RequestNeeds.FromResponses(body.RootElement);

        Assert.Equal(("deepseek-v4-pro", true, true, true), (needs.Model, needs.Thinking, needs.Tools, needs.Images));
    }

    [Theory]
    [InlineData("""{"model":"m","input":"hi"}""")]
    [InlineData("""{"model":"m","input":"hi","reasoning":{"effort":"none","summary":"auto"},"tools":[]}""")]
    public void A_plain_string_input_without_effort_or_tools_needs_nothing_special(string json)
    {
        using var body = JsonDocument.Parse(json);

        var needs = RequestNeeds.FromResponses(body.RootElement);

        Assert.Equal(("m", false, false, false), (needs.Model, needs.Thinking, needs.Tools, needs.Images));
    }

    [Fact]
    public async Task A_responses_request_is_routed_by_what_its_own_fields_ask_for()
    {
        await using var p = await TwoProviders.StartAsync(new Dictionary<string, string?>
        {
            ["Switchyard:Routes:0:Name"] = "thinking",
            ["Switchyard:Routes:0:Thinking"] = "true",
            ["Switchyard:Routes:0:Targets:0:Provider"] = "backup",
            ["Switchyard:Routes:1:Name"] = "long",
            ["Switchyard:Routes:1:MinInputTokens"] = "2000",
            ["Switchyard:Routes:1:Targets:0:Provider"] = "backup",
        }, defaultRoute: false);

        var plain = await PostAsync(p.Host, "/v1/responses", """{"model":"deepseek-v4-flash","input":"a short question"}""");
        var thinking = await PostAsync(p.Host, "/v1/responses", """{"model":"deepseek-v4-flash","input":"a short question","reasoning":{"effort":"high"}}""");
        var longText = string.Join(' ', Enumerable.Range(0, 3000).Select(i => "word" + i));
        var longAnswer = await PostAsync(p.Host, "/v1/responses", $$"""{"model":"deepseek-v4-flash","input":"{{longText}}"}""");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], new[] { plain.Status, thinking.Status, longAnswer.Status });
        Assert.Null(plain.Header("x-switchyard-route"));
        Assert.Equal("thinking", thinking.Header("x-switchyard-route"));
        Assert.Equal("long", longAnswer.Header("x-switchyard-route"));
        Assert.Single(p.Primary.Requests);
        Assert.Equal(2, p.Backup.Requests.Count);
    }
}
