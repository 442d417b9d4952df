using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using static Switchyard.Tests.Observability.ObservabilityTestSupport;

namespace Switchyard.Tests.Dashboard;

/// <summary>The dashboard's managing API, without a browser: CSRF, keys, request detail, key names in the log.</summary>
public sealed class DashboardManagementTests
{
    private static async Task<(HttpClient Client, string Csrf)> SignInAsync(GatewayHost host)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = host.BaseUrl };
        using var token = await client.GetAsync($"/dashboard/?token={AdminKey}");
        client.DefaultRequestHeaders.Add("Cookie", token.Headers.GetValues("Set-Cookie").Single().Split(';')[0]);
        var session = JsonNode.Parse(await client.GetStringAsync("/dashboard/api/session"))!;
        return (client, session["csrf"]!.GetValue<string>());
    }

    private static HttpRequestMessage Post(string path, object body, string? csrf, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (csrf is not null)
        {
            request.Headers.Add("x-csrf-token", csrf);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return request;
    }

    [Fact]
    public async Task Changes_need_the_csrf_token_json_and_the_same_origin()
    {
        await using var host = await GatewayHost.StartAsync(Settings());
        var (client, csrf) = await SignInAsync(host);
        using (client)
        {
            using (var none = await client.SendAsync(Post("/dashboard/api/keys", new { name = "x" }, null)))
            {
                Assert.Equal(HttpStatusCode.Forbidden, none.StatusCode);
            }

            using (var wrong = await client.SendAsync(Post("/dashboard/api/keys", new { name = "x" }, "forged")))
            {
                Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
            }

            using (var crossOrigin = await client.SendAsync(Post("/dashboard/api/keys", new { name = "x" }, csrf, "https://evil.example")))
            {
                Assert.Equal(HttpStatusCode.Forbidden, crossOrigin.StatusCode);
            }

            using (var form = new HttpRequestMessage(HttpMethod.Post, "/dashboard/api/keys") { Content = new FormUrlEncodedContent([new("name", "x")]) })
            {
                form.Headers.Add("x-csrf-token", csrf);
                using var response = await client.SendAsync(form);
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            }

            var keys = JsonNode.Parse(await client.GetStringAsync("/dashboard/api/keys"))!["data"]!.AsArray();
            Assert.Empty(keys);

            using var ok = await client.SendAsync(Post("/dashboard/api/keys", new { name = "x" }, csrf, host.BaseUrl.GetLeftPart(UriPartial.Authority)));
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }
    }

    [Fact]
    public async Task Keys_are_created_edited_and_revoked_and_requests_show_decisions_and_retained_bodies()
    {
        var settings = Settings();
        settings["Switchyard:RequestBodies:Retain"] = "true";
        await using var host = await GatewayHost.StartAsync(settings);
        var (client, csrf) = await SignInAsync(host);
        using (client)
        {
            using var created = await client.SendAsync(Post("/dashboard/api/keys", new { name = "ui-team", rpm = 60, models = new[] { "deepseek-*", "claude-*" } }, csrf));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var key = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
            var id = key["id"]!.GetValue<string>();
            var secret = key["secret"]!.GetValue<string>();

            using (var edited = await client.SendAsync(Post($"/dashboard/api/keys/{id}", new { rpm = 120, budget_usd = 5.5, models = new[] { "deepseek-v4-flash" } }, csrf)))
            {
                var json = JsonNode.Parse(await edited.Content.ReadAsStringAsync())!;
                Assert.True(edited.StatusCode == HttpStatusCode.OK, json.ToJsonString());
                Assert.Equal(120, json["rpm"]!.GetValue<int>());
                Assert.Equal(5.5m, json["budget_usd"]!.GetValue<decimal>());
                Assert.Equal("deepseek-v4-flash", json["models"]![0]!.GetValue<string>());
                Assert.Equal("ui-team", json["name"]!.GetValue<string>());
                Assert.Null(json["secret"]);
            }

            using (var invalid = await client.SendAsync(Post($"/dashboard/api/keys/{id}", new { rpm = 0 }, csrf)))
            {
                Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
            }

            // The edited model globs apply to the next request.
            var (forbidden, _) = await MessageAsync(host, secret, model: "deepseek-v4-pro");
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            host.Upstream.Enqueue(FakeReply.Text("Hi"));
            var (served, servedBody) = await MessageAsync(host, secret, text: "a secret-free question");
            Assert.True(served.IsSuccessStatusCode, servedBody);
            var requestId = served.Headers.GetValues("request-id").Single();

            using (var revoked = await client.SendAsync(Post($"/dashboard/api/keys/{id}/revoke", new { }, csrf)))
            {
                Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
                Assert.False(JsonNode.Parse(await revoked.Content.ReadAsStringAsync())!["active"]!.GetValue<bool>());
            }

            var (after, _) = await MessageAsync(host, secret);
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
            var (unknown, _) = await MessageAsync(host, "sk-sy-0123456789abcdefNOTAKEY");
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
            var unknownId = unknown.Headers.GetValues("request-id").Single();
            var afterId = after.Headers.GetValues("request-id").Single();

            await WaitForLedgerAsync(host, 4);
            var detail = JsonNode.Parse(await client.GetStringAsync($"/dashboard/api/requests/{requestId}"))!;
            var record = detail["record"]!;
            Assert.Equal("ui-team", record["key_name"]!.GetValue<string>());
            Assert.Equal("deepseek-v4-flash", record["decisions"]!["model"]!.GetValue<string>());
            Assert.Equal("alias", record["decisions"]!["model-remapped"]!.GetValue<string>());
            Assert.Contains("a secret-free question", detail["body"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.True(detail["bodies_retained"]!.GetValue<bool>());

            // Rejected requests keep the name the key had, or say the key was unknown: never "(open)" nor the secret.
            var revokedRow = JsonNode.Parse(await client.GetStringAsync($"/dashboard/api/requests/{afterId}"))!["record"]!;
            Assert.Equal("ui-team", revokedRow["key_name"]!.GetValue<string>());
            Assert.Equal(401, revokedRow["status"]!.GetValue<int>());
            var unknownText = await client.GetStringAsync($"/dashboard/api/requests/{unknownId}");
            Assert.Equal("(unknown key)", JsonNode.Parse(unknownText)!["record"]!["key_name"]!.GetValue<string>());
            Assert.DoesNotContain("NOTAKEY", unknownText, StringComparison.Ordinal);

            using var missing = await client.GetAsync("/dashboard/api/requests/req_nope");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
    }

    [Fact]
    public async Task Bodies_are_not_kept_by_default_and_providers_and_explain_answer()
    {
        await using var host = await GatewayHost.StartAsync(Settings());
        var (client, csrf) = await SignInAsync(host);
        using (client)
        {
            host.Upstream.Enqueue(FakeReply.Text("Hi"));
            var (served, _) = await MessageAsync(host, "sk-anything", text: "keep me not");
            var requestId = served.Headers.GetValues("request-id").Single();
            await WaitForLedgerAsync(host, 1);
            var detail = JsonNode.Parse(await client.GetStringAsync($"/dashboard/api/requests/{requestId}"))!;
            Assert.Null(detail["body"]);
            Assert.False(detail["bodies_retained"]!.GetValue<bool>());

            var providers = JsonNode.Parse(await client.GetStringAsync("/dashboard/api/providers"))!;
            Assert.Equal("deepseek", providers["providers"]![0]!["name"]!.GetValue<string>());
            Assert.Equal("closed", providers["providers"]![0]!["endpoints"]![0]!["circuit"]!.GetValue<string>());

            using var explain = await client.SendAsync(Post("/dashboard/api/explain",
                new { request = """{"model":"claude-opus-4-5","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""", open_ai = false }, csrf));
            var answer = JsonNode.Parse(await explain.Content.ReadAsStringAsync())!;
            Assert.True(explain.StatusCode == HttpStatusCode.OK, answer.ToJsonString());
            Assert.False(answer["rejected"]!.GetValue<bool>());
            Assert.Contains(answer["lines"]!.AsArray(), l => l!.GetValue<string>().Contains("deepseek-v4-pro", StringComparison.Ordinal));

            using var notJson = await client.SendAsync(Post("/dashboard/api/explain", new { request = "{nope" }, csrf));
            Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        }
    }
}
