using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Endpoints;

/// <summary>A first run without an upstream key explains itself: /readyz, the client's error, nothing sent upstream.</summary>
public sealed class FirstRunTests
{
    private const string AdminKey = "first-run-admin-key-0123456789abcdef0123456";

    private static Dictionary<string, string?> NoUpstreamKey() => new()
    {
        ["Switchyard:Upstream:BaseUrl"] = "https://api.deepseek.com",
        ["Switchyard:Upstream:ApiKey"] = "",
        ["DEEPSEEK_API_KEY"] = "",
        ["Switchyard:Admin:Key"] = AdminKey,
    };

    [Fact]
    public async Task Readyz_is_not_ready_and_says_why_without_addresses()
    {
        await using var host = await GatewayHost.StartAsync(NoUpstreamKey());
        using var response = await host.Http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var json = JsonNode.Parse(text)!;
        Assert.Equal("not_ready", json["status"]!.GetValue<string>());
        Assert.Contains("DEEPSEEK_API_KEY", json["reasons"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("api.deepseek.com", text, StringComparison.Ordinal);
        Assert.Null(json["providers"]);
        Assert.Null(json["checks"]);

        using var admin = new HttpRequestMessage(HttpMethod.Get, "/readyz");
        admin.Headers.Add("x-api-key", AdminKey);
        using var detailed = await host.Http.SendAsync(admin);
        var details = JsonNode.Parse(await detailed.Content.ReadAsStringAsync())!;
        Assert.StartsWith("missing", details["checks"]!["upstream_key"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("https://api.deepseek.com/", details["providers"]!["deepseek"]!["endpoints"]![0]!["base_url"]!.GetValue<string>());
        Assert.Equal("closed", details["providers"]!["deepseek"]!["endpoints"]![0]!["circuit"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_a_key_readyz_is_ready_and_a_wrong_admin_key_sees_no_details()
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:Admin:Key"] = AdminKey });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/readyz");
        request.Headers.Add("x-api-key", "not-the-admin-key");
        using var response = await host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ready", json["status"]!.GetValue<string>());
        Assert.Null(json["providers"]);
        Assert.Null(json["reasons"]);
    }

    [Theory]
    [InlineData("/v1/messages")]
    [InlineData("/v1/chat/completions")]
    public async Task A_request_gets_an_error_naming_the_setting_in_its_format(string path)
    {
        await using var host = await GatewayHost.StartAsync(NoUpstreamKey());
        object body = path.Contains("chat", StringComparison.Ordinal)
            ? new { model = "deepseek-v4-flash", messages = new[] { new { role = "user", content = "hi" } } }
            : new { model = "deepseek-v4-flash", max_tokens = 16, messages = new[] { new { role = "user", content = "hi" } } };
        using var response = await host.Http.PostAsJsonAsync(path, body);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var message = json["error"]!["message"]!.GetValue<string>();
        Assert.Contains("DEEPSEEK_API_KEY", message, StringComparison.Ordinal);
        Assert.Contains("export DEEPSEEK_API_KEY=", message, StringComparison.Ordinal);
        Assert.Equal("false", response.Headers.GetValues("x-should-retry").Single());
        if (!path.Contains("chat", StringComparison.Ordinal))
        {
            Assert.Equal("error", json["type"]!.GetValue<string>());
            Assert.Equal("api_error", json["error"]!["type"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_local_upstream_without_a_key_is_ready()
    {
        // vLLM, Ollama and the fake take no key: only DeepSeek's own API needs one.
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:Upstream:ApiKey"] = "", ["DEEPSEEK_API_KEY"] = "" });
        using var response = await host.Http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
