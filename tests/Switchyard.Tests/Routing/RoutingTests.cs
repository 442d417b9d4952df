using System.Net;
using System.Text.Json.Nodes;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using Switchyard.Tests.Resilience;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Routing;

/// <summary>Routes by what the request needs, the explain command, hot reload and load balancing.</summary>
public sealed class RoutingTests
{
    private static JsonObject ImageBody(string model = "deepseek-v4-flash") => new()
    {
        ["model"] = model,
        ["max_tokens"] = 100,
        ["messages"] = new JsonArray(new JsonObject
        {
            ["role"] = "user",
            ["content"] = new JsonArray(
                new JsonObject { ["type"] = "text", ["text"] = "What is in this picture?" },
                new JsonObject
                {
                    ["type"] = "image",
                    ["source"] = new JsonObject { ["type"] = "base64", ["media_type"] = "image/png", ["data"] = "iVBORw0KGgo=" },
                }),
        }),
    };

    private static Dictionary<string, string?> VisionRoute(FakeAnthropic anthropic)
    {
        var settings = anthropic.GatewaySettings();
        settings["Switchyard:Routes:0:Name"] = "vision";
        settings["Switchyard:Routes:0:Images"] = "true";
        settings["Switchyard:Routes:0:Targets:0:Provider"] = "anthropic";
        settings["Switchyard:Routes:0:Targets:0:Model"] = "claude-sonnet-4-5";
        return settings;
    }

    [Fact]
    public async Task Images_go_to_a_provider_that_takes_them_and_are_rejected_without_one()
    {
        await using var anthropic = await FakeAnthropic.StartAsync();
        await using (var host = await GatewayHost.StartAsync(VisionRoute(anthropic)))
        {
            anthropic.Enqueue(FakeAnthropicReply.Json(AnthropicScripts.Message("claude-sonnet-4-5", """[{"type":"text","text":"a cat"}]""", "end_turn")));
            var answer = await PostJsonAsync(host, "/v1/messages", ImageBody());
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal("a cat", answer.Json!["content"]![0]!["text"]!.GetValue<string>());
            Assert.Equal("vision", answer.Headers.GetValues("x-switchyard-route").Single());
            Assert.Equal("claude-sonnet-4-5", anthropic.LastRequest.Json!["model"]!.GetValue<string>());
            Assert.Empty(host.Upstream.Requests);

            // Without images the request stays on DeepSeek.
            var plain = await PostJsonAsync(host, "/v1/messages", SimpleBody("hi", model: "deepseek-v4-flash"));
            Assert.Equal(HttpStatusCode.OK, plain.Status);
            Assert.Single(host.Upstream.Requests);
        }

        await using (var host = await GatewayHost.StartAsync())
        {
            var rejected = await PostJsonAsync(host, "/v1/messages", ImageBody());
            Assert.Equal(HttpStatusCode.BadRequest, rejected.Status);
        }
    }

    [Fact]
    public async Task Haiku_names_take_the_background_route()
    {
        await using var p = await TwoProviders.StartAsync(new Dictionary<string, string?>
        {
            ["Switchyard:Routes:0:Name"] = "background",
            ["Switchyard:Routes:0:Background"] = "true",
            ["Switchyard:Routes:0:Targets:0:Provider"] = "backup",
            ["Switchyard:Routes:0:Targets:0:Model"] = "deepseek-v4-flash",
        }, defaultRoute: false);
        var haiku = await PostJsonAsync(p.Host, "/v1/messages", SimpleBody("hi", model: "claude-haiku-4-5-20251001"));
        Assert.Equal(HttpStatusCode.OK, haiku.Status);
        Assert.Equal("background", haiku.Headers.GetValues("x-switchyard-route").Single());
        Assert.Single(p.Backup.Requests);
        var sonnet = await PostJsonAsync(p.Host, "/v1/messages", SimpleBody("hi", model: "claude-sonnet-4-5"));
        Assert.Equal(HttpStatusCode.OK, sonnet.Status);
        Assert.False(sonnet.Headers.Contains("x-switchyard-route"));
        Assert.Single(p.Primary.Requests);
    }

    [Fact]
    public async Task Long_contexts_are_routed_by_token_count()
    {
        await using var p = await TwoProviders.StartAsync(new Dictionary<string, string?>
        {
            ["Switchyard:Routes:0:Name"] = "long",
            ["Switchyard:Routes:0:MinInputTokens"] = "2000",
            ["Switchyard:Routes:0:Targets:0:Provider"] = "backup",
        }, defaultRoute: false);
        var shortAnswer = await PostJsonAsync(p.Host, "/v1/messages", SimpleBody("a short question"));
        Assert.Equal(HttpStatusCode.OK, shortAnswer.Status);
        Assert.Single(p.Primary.Requests);
        var longText = string.Join(' ', Enumerable.Range(0, 3000).Select(i => "word" + i));
        var longAnswer = await PostJsonAsync(p.Host, "/v1/messages", SimpleBody(longText));
        Assert.Equal(HttpStatusCode.OK, longAnswer.Status);
        Assert.Equal("long", longAnswer.Headers.GetValues("x-switchyard-route").Single());
        Assert.Single(p.Backup.Requests);
    }

    [Fact]
    public async Task Explain_prints_the_route_and_why()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, ImageBody("claude-sonnet-4-5").ToJsonString());
            var overrides = new Dictionary<string, string?>
            {
                ["Switchyard:DataDirectory"] = Path.GetTempPath(),
                ["Switchyard:Providers:0:Name"] = "vision",
                ["Switchyard:Providers:0:Kind"] = "Anthropic",
                ["Switchyard:Providers:0:BaseUrl"] = "http://127.0.0.1:9/",
                ["Switchyard:Routes:0:Name"] = "thinking",
                ["Switchyard:Routes:0:Thinking"] = "true",
                ["Switchyard:Routes:0:Targets:0:Provider"] = "deepseek",
                ["Switchyard:Routes:0:Targets:0:Model"] = "deepseek-v4-pro",
                ["Switchyard:Routes:1:Name"] = "images",
                ["Switchyard:Routes:1:Models:0"] = "claude-*",
                ["Switchyard:Routes:1:Targets:0:Provider"] = "deepseek",
                ["Switchyard:Routes:1:Targets:1:Provider"] = "vision",
                ["Switchyard:Routes:1:Targets:1:Model"] = "claude-sonnet-4-5",
            };
            var (code, text, _) = await Tests.Cli.Cli.RunAsync(["routes", "explain", file], overrides);
            Assert.True(code == 0, text);
            Assert.Contains("Route: images (#2)", text, StringComparison.Ordinal);
            Assert.Contains("thinking: skipped, no thinking asked for", text, StringComparison.Ordinal);
            Assert.Contains("vision/claude-sonnet-4-5", text, StringComparison.Ordinal);
            Assert.Contains("skipped: deepseek/deepseek-v4-flash: takes no images", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Routes_reload_without_a_restart()
    {
        var dir = Directory.CreateTempSubdirectory("switchyard-routes-");
        var file = Path.Combine(dir.FullName, "routes.json");
        static string Routes(string provider) =>
            "{\"Switchyard\":{\"Routes\":[{\"Name\":\"to-" + provider + "\",\"Targets\":[{\"Provider\":\"" + provider + "\"}]}]}}";
        await File.WriteAllTextAsync(file, Routes("backup"));
        var backup = await FakeDeepSeek.StartAsync();
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["Switchyard:Providers:0:Name"] = "backup",
                ["Switchyard:Providers:0:BaseUrl"] = backup.BaseUrl.ToString(),
                ["Switchyard:Providers:0:ApiKey"] = backup.ApiKey,
            };
            await using var host = await GatewayHost.StartAsync(settings, b => Microsoft.Extensions.Configuration.JsonConfigurationExtensions.AddJsonFile(b, file, optional: false, reloadOnChange: true));
            Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(host, "/v1/messages", SimpleBody("one"))).Status);
            Assert.Single(backup.Requests);

            await File.WriteAllTextAsync(file, Routes("deepseek"));
            string? route = null;
            for (var i = 0; i < 100 && route != "to-deepseek"; i++)
            {
                await Task.Delay(100);
                var answer = await PostJsonAsync(host, "/v1/messages", SimpleBody("again"));
                route = answer.Headers.GetValues("x-switchyard-route").Single();
            }

            Assert.Equal("to-deepseek", route);
            Assert.NotEmpty(host.Upstream.Requests);
        }
        finally
        {
            await backup.DisposeAsync();
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Requests_spread_over_a_providers_endpoints()
    {
        await using var a = await FakeDeepSeek.StartAsync();
        await using var b = await FakeDeepSeek.StartAsync();
        a.DefaultReply = _ => new FakeReply { Content = "from a", ChunkDelay = TimeSpan.FromMilliseconds(100), ChunkSize = 2 };
        b.DefaultReply = _ => new FakeReply { Content = "from b", ChunkDelay = TimeSpan.FromMilliseconds(100), ChunkSize = 2 };
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?>
        {
            ["Switchyard:Providers:0:Name"] = "pool",
            ["Switchyard:Providers:0:ApiKey"] = a.ApiKey,
            ["Switchyard:Providers:0:Endpoints:0:BaseUrl"] = a.BaseUrl.ToString(),
            ["Switchyard:Providers:0:Endpoints:1:BaseUrl"] = b.BaseUrl.ToString(),
            ["Switchyard:Routes:0:Targets:0:Provider"] = "pool",
        });
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => PostJsonAsync(host, "/v1/messages", SimpleBody("hi", stream: true))));
        Assert.All(answers, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.InRange(a.Requests.Count, 4, 8);
        Assert.InRange(b.Requests.Count, 4, 8);
        Assert.Equal(12, a.Requests.Count + b.Requests.Count);
    }
}
