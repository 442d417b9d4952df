using System.Net;
using System.Text;
using Microsoft.Playwright;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using Xunit.Abstractions;
using static Switchyard.Tests.Observability.ObservabilityTestSupport;

namespace Switchyard.Tests.Dashboard;

/// <summary>A browser test: skipped only when Chromium is missing and CI is not "true".</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>Debian's chromium (override with SWITCHYARD_CHROMIUM).</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("SWITCHYARD_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Skips when Chromium is absent, except in CI.</summary>
    public ChromiumFactAttribute()
    {
        if (!File.Exists(ExecutablePath) && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"Chromium not found at {ExecutablePath}: install Debian's chromium (apt-get install -y chromium) to run the browser tests (test.sh does this when CI=true).";
        }
    }
}

/// <summary>The dashboard in real Chromium: known traffic in charts and the log, and a key's life clicked through.</summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private static async Task<(IPlaywright Playwright, IBrowser Browser, IPage Page, List<string> External)> OpenAsync(GatewayHost host, int width = 1400)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            Headless = true,
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = 1000 } });
        var external = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(host.BaseUrl.ToString(), StringComparison.Ordinal))
            {
                external.Add(request.Url);
            }
        };
        return (playwright, browser, page, external);
    }

    private static async Task SignInAsync(IPage page, GatewayHost host)
    {
        var first = await page.GotoAsync(new Uri(host.BaseUrl, "/dashboard").ToString());
        Assert.Equal(401, first!.Status);
        await page.FillAsync("#key", "wrong-key");
        await page.ClickAsync("button[type=submit]");
        Assert.Contains("not the admin key", await page.ContentAsync(), StringComparison.Ordinal);
        await page.FillAsync("#key", AdminKey);
        await page.ClickAsync("button[type=submit]");
        await LoadedAsync(page, "overview");
    }

    private static Task LoadedAsync(IPage page, string tab) =>
        page.WaitForSelectorAsync($"body[data-loaded=true][data-tab={tab}]", new PageWaitForSelectorOptions { Timeout = 15000 });

    private static async Task TabAsync(IPage page, string tab)
    {
        await page.ClickAsync($"nav [data-tab={tab}]");
        await LoadedAsync(page, tab);
    }

    private async Task ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "screenshots", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"Screenshot: {path}");
    }

    [ChromiumFact]
    public async Task Dashboard_shows_known_traffic_in_charts_and_a_log_that_fits_the_screen()
    {
        await using var host = await GatewayHost.StartAsync(Settings());
        var team = await CreateKeyAsync(host, "dash-team");
        var other = await CreateKeyAsync(host, "dash-other");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            host.Upstream.Enqueue(new FakeReply { Content = "Hello from the fake", PromptTokens = 1000, CacheHitTokens = 500, CompletionTokens = 100 });
            var (response, body) = await MessageAsync(host, team, stream: i == 1, model: i == 2 ? "claude-opus-4-5" : "claude-sonnet-4-5");
            Assert.True(response.IsSuccessStatusCode, body);
            ids.Add(response.Headers.GetValues("request-id").Single());
        }

        using (var bad = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"),
        })
        {
            bad.Headers.Add("x-api-key", other);
            using var response = await host.Http.SendAsync(bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            ids.Add(response.Headers.GetValues("request-id").Single());
        }

        var (unknown, _) = await MessageAsync(host, "sk-sy-0000000000000000notakey");
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        ids.Add(unknown.Headers.GetValues("request-id").Single());
        await WaitForLedgerAsync(host, 5);

        var (playwright, browser, page, external) = await OpenAsync(host);
        using (playwright)
        await using (browser)
        {
            await SignInAsync(page, host);
            Assert.Equal("5", await page.TextContentAsync("#stat-requests"));
            Assert.Equal("2", await page.TextContentAsync("#stat-errors"));
            Assert.Equal("0", await page.TextContentAsync("#stat-streams"));
            Assert.Equal("50.0%", await page.TextContentAsync("#stat-cache"));
            Assert.Equal("5", await page.GetAttributeAsync("#chart-rps polyline", "data-total"));
            Assert.Equal("3000", await page.GetAttributeAsync("#chart-tokens polyline[data-series=input]", "data-total"));
            Assert.Equal(1, await page.Locator("#chart-cost-model rect[data-label='deepseek-v4-flash']").CountAsync());
            Assert.Equal(1, await page.Locator("#chart-cost-model rect[data-label='deepseek-v4-pro']").CountAsync());
            Assert.Equal(1, await page.Locator("#chart-cost-key rect[data-label='dash-team']").CountAsync());
            Assert.True(await page.Locator("#chart-cost-day rect").CountAsync() >= 1);
            Assert.Equal(1, await page.Locator("#chart-errors rect[data-label='invalid_request_error']").CountAsync());
            Assert.Equal(1, await page.Locator("#chart-errors rect[data-label='authentication_error']").CountAsync());
            // Labels are whole, no bar is empty or unnamed.
            Assert.Contains("authentication_error", await page.TextContentAsync("#chart-errors") ?? "", StringComparison.Ordinal);
            Assert.DoesNotContain("(none)", await page.TextContentAsync("main") ?? "", StringComparison.Ordinal);
            Assert.True(await page.Locator("#chart-latency rect[data-tip]").CountAsync() >= 3);
            // Every chart has a legend; the latency chart names its percentiles.
            Assert.Equal(8, await page.Locator("#tab-overview figure .legend").CountAsync());
            Assert.Equal("p50p90p99", (await page.TextContentAsync("#legend-latency"))!.Replace(" ", "", StringComparison.Ordinal));
            // Hover values.
            await page.HoverAsync("#chart-cost-key rect[data-label='dash-team']");
            await page.WaitForSelectorAsync("#tip:not([hidden])");
            Assert.StartsWith("dash-team: $", await page.TextContentAsync("#tip"), StringComparison.Ordinal);
            await page.HoverAsync("#chart-latency rect[data-tip] >> nth=2");
            Assert.Matches(@"^latency p99: \d+ ms$", await page.TextContentAsync("#tip") ?? "");
            await page.Mouse.MoveAsync(5, 5);
            await ScreenshotAsync(page, "dashboard-overview.png");

            await TabAsync(page, "requests");
            var rows = page.Locator("#requests tbody tr");
            Assert.Equal(5, await rows.CountAsync());
            foreach (var id in ids)
            {
                Assert.Equal(1, await page.Locator($"#requests tbody tr[data-request-id='{id}']").CountAsync());
            }

            Assert.Contains("claude-opus-4-5 → deepseek-v4-pro", await page.Locator($"#requests tr[data-request-id='{ids[2]}']").TextContentAsync(), StringComparison.Ordinal);
            Assert.Contains("error", await page.Locator($"#requests tr[data-request-id='{ids[3]}']").GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
            Assert.Equal("(unknown key)", await page.Locator($"#requests tr[data-request-id='{ids[4]}'] td >> nth=1").TextContentAsync());
            Assert.DoesNotContain("(open)", await page.TextContentAsync("#requests") ?? "", StringComparison.Ordinal);

            // The log fits the screen: no horizontal scrolling at 1400 or at 1024 pixels.
            foreach (var width in new[] { 1400, 1024 })
            {
                await page.SetViewportSizeAsync(width, 900);
                Assert.True(await page.EvaluateAsync<bool>("() => { const w = document.getElementById('requests-wrap'); return w.scrollWidth <= w.clientWidth; }"),
                    $"the request log scrolls sideways at {width} px");
                Assert.True(await page.Locator("#requests th:has-text('TTFT ms')").IsVisibleAsync());
            }

            await page.SetViewportSizeAsync(1400, 1000);
            await ScreenshotAsync(page, "dashboard-requests.png");

            // The filters narrow the log.
            await page.FillAsync("#filters input[name=key]", "dash-other");
            await page.ClickAsync("#filters button[type=submit]");
            await page.WaitForFunctionAsync("() => document.querySelectorAll('#requests tbody tr').length === 1");
            await page.SelectOptionAsync("#filters select[name=status]", "ok");
            await page.FillAsync("#filters input[name=key]", "");
            await page.FillAsync("#filters input[name=model]", "pro");
            await page.ClickAsync("#filters button[type=submit]");
            await page.WaitForFunctionAsync($"() => document.querySelectorAll('#requests tbody tr').length === 1 && document.querySelector('#requests tbody tr').dataset.requestId === '{ids[2]}'");
        }

        Assert.Empty(external);
    }

    [ChromiumFact]
    public async Task A_key_is_created_used_seen_in_the_log_and_detail_edited_and_revoked()
    {
        var settings = Settings();
        settings["Switchyard:RequestBodies:Retain"] = "true";
        await using var host = await GatewayHost.StartAsync(settings);
        var (playwright, browser, page, external) = await OpenAsync(host);
        using (playwright)
        await using (browser)
        {
            await SignInAsync(page, host);

            // Create: the secret is shown once.
            await TabAsync(page, "keys");
            await page.FillAsync("#create-key input[name=name]", "browser-team");
            await page.FillAsync("#create-key input[name=rpm]", "60");
            await page.FillAsync("#create-key input[name=models]", "deepseek-v4-*, claude-*");
            await page.ClickAsync("#create-key button[type=submit]");
            await page.WaitForSelectorAsync("#new-secret:not([hidden])");
            var secret = (await page.TextContentAsync("#new-secret-value"))!;
            Assert.StartsWith("sk-sy-", secret, StringComparison.Ordinal);
            var row = page.Locator("#keys tr[data-key-name='browser-team']");
            await row.WaitForAsync();
            Assert.Contains("deepseek-v4-*, claude-*", await row.TextContentAsync(), StringComparison.Ordinal);
            await ScreenshotAsync(page, "dashboard-keys.png");

            // Use it.
            host.Upstream.Enqueue(FakeReply.Text("Hello from the fake"));
            var (response, body) = await MessageAsync(host, secret, model: "claude-sonnet-4-5", text: "What is a switchyard?");
            Assert.True(response.IsSuccessStatusCode, body);
            var requestId = response.Headers.GetValues("request-id").Single();
            await WaitForLedgerAsync(host, 1);

            // See the request, and open it: what was asked, what served it and how, the body.
            await TabAsync(page, "requests");
            var logRow = page.Locator($"#requests tbody tr[data-request-id='{requestId}']");
            Assert.Equal("browser-team", await logRow.Locator("td >> nth=1").TextContentAsync());
            await logRow.ClickAsync();
            await page.WaitForSelectorAsync("#detail[open]");
            Assert.Equal("alias", await page.TextContentAsync("#detail tr[data-decision='model-remapped'] td >> nth=0"));
            Assert.Equal("deepseek-v4-flash", await page.TextContentAsync("#detail tr[data-decision='model'] td >> nth=0"));
            var detail = (await page.TextContentAsync("#detail-body"))!;
            Assert.Contains("claude-sonnet-4-5", detail, StringComparison.Ordinal);
            Assert.Contains("What is a switchyard?", await page.TextContentAsync("#detail pre.body"), StringComparison.Ordinal);
            await ScreenshotAsync(page, "dashboard-request-detail.png");
            await page.ClickAsync("#detail button.close");

            // Edit its limits.
            await TabAsync(page, "keys");
            await row.Locator("button.edit").ClickAsync();
            await page.WaitForSelectorAsync("#edit-key[open]");
            Assert.Equal("60", await page.InputValueAsync("#edit-form input[name=rpm]"));
            await page.FillAsync("#edit-form input[name=rpm]", "30");
            await page.FillAsync("#edit-form input[name=budget_usd]", "2.5");
            await page.ClickAsync("#edit-form button[type=submit]");
            await page.WaitForSelectorAsync("#edit-key[open]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Detached });
            await page.WaitForFunctionAsync("() => document.querySelector(\"#keys tr[data-key-name='browser-team'] td:nth-child(5)\").textContent === '30'");
            Assert.Contains("/ 2.50", await row.Locator("td >> nth=6").TextContentAsync(), StringComparison.Ordinal);

            // Revoke it (a second click confirms); the next request with it is refused.
            await row.Locator("button.revoke").ClickAsync();
            await row.Locator("button.revoke:has-text('Confirm revoke')").ClickAsync();
            await page.WaitForFunctionAsync("() => document.querySelector(\"#keys tr[data-key-name='browser-team']\").classList.contains('revoked')");
            Assert.StartsWith("revoked", await row.Locator("td >> nth=2").TextContentAsync(), StringComparison.Ordinal);
            var (refused, _) = await MessageAsync(host, secret);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            var refusedId = refused.Headers.GetValues("request-id").Single();
            await WaitForLedgerAsync(host, 2);
            await TabAsync(page, "requests");
            var refusedRow = page.Locator($"#requests tbody tr[data-request-id='{refusedId}']");
            Assert.Equal("browser-team", await refusedRow.Locator("td >> nth=1").TextContentAsync());
            Assert.StartsWith("401", await refusedRow.Locator("td >> nth=4").TextContentAsync(), StringComparison.Ordinal);

            // Providers with their circuits, and what routes explain says about a pasted request.
            await TabAsync(page, "providers");
            Assert.Equal("closed", await page.TextContentAsync("#providers tr[data-provider=deepseek] .badge"));
            await page.FillAsync("#explain textarea", """{"model":"claude-opus-4-5","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""");
            await page.ClickAsync("#explain button[type=submit]");
            await page.WaitForSelectorAsync("#explain-result:not([hidden])");
            var explanation = (await page.TextContentAsync("#explain-result"))!;
            Assert.Contains("Targets:", explanation, StringComparison.Ordinal);
            Assert.Contains("deepseek-v4-pro", explanation, StringComparison.Ordinal);
            await ScreenshotAsync(page, "dashboard-providers.png");
        }

        Assert.Empty(external);
    }
}
