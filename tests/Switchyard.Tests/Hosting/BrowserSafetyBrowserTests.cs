using System.Text.Json;
using Microsoft.Playwright;
using Switchyard.Tests.Dashboard;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Hosting;

/// <summary>
/// Real Chromium, a hostile page, and a gateway in open mode on the visitor's machine: the page's requests are refused
/// by Switchyard (the controls show them served once the operator allows the page's origin or host name).
/// </summary>
public sealed class BrowserSafetyBrowserTests
{
    private const string Body = """{"model":"claude-sonnet-4-5","max_tokens":5,"messages":[{"role":"user","content":"spend the operator's credit"}]}""";

    /// <summary>
    /// The attacker's page: a POST to <paramref name="target"/> (with text/plain, a "simple" request that is sent without
    /// a preflight), then the status as the page's script sees it.
    /// </summary>
    private static string Page(string target, string contentType) => $$"""
        <!doctype html><html><body><script>
        window.result = fetch({{JsonSerializer.Serialize(target)}}, {
          method: 'POST', headers: { 'content-type': {{JsonSerializer.Serialize(contentType)}} }, body: {{JsonSerializer.Serialize(Body)}}
        }).then(r => r.status, e => 'blocked: ' + e.message);
        </script></body></html>
        """;

    private static async Task<(IPage Page, List<(string Url, int Status)> Responses)> OpenAsync(
        IBrowser browser, string pageUrl, string target, string contentType = "text/plain")
    {
        var page = await browser.NewPageAsync();
        var responses = new List<(string, int)>();

        // The network log as DevTools has it: the raw status of every response, also of those a script may not read (CORS).
        var devtools = await page.Context.NewCDPSessionAsync(page);
        var urls = new Dictionary<string, string>();
        devtools.Event("Network.requestWillBeSent").OnEvent += (_, e) =>
        {
            lock (responses)
            {
                urls[e!.Value.GetProperty("requestId").GetString()!] = e.Value.GetProperty("request").GetProperty("url").GetString()!;
            }
        };
        devtools.Event("Network.responseReceivedExtraInfo").OnEvent += (_, e) =>
        {
            lock (responses)
            {
                var id = e!.Value.GetProperty("requestId").GetString()!;
                responses.Add((urls.GetValueOrDefault(id, id), e.Value.GetProperty("statusCode").GetInt32()));
            }
        };
        await devtools.SendAsync("Network.enable");
        await page.RouteAsync(pageUrl, route => route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/html", Body = Page(target, contentType) }));
        await page.GotoAsync(pageUrl);
        await page.EvaluateAsync("() => window.result");
        return (page, responses);
    }

    /// <summary>Waits briefly for DevTools to report <paramref name="expected"/> (its events may trail the script's result).</summary>
    private static async Task SeenAsync(List<(string Url, int Status)> responses, (string Url, int Status) expected)
    {
        for (var i = 0; i < 50; i++)
        {
            lock (responses)
            {
                if (responses.Contains(expected))
                {
                    return;
                }
            }

            await Task.Delay(50);
        }

        lock (responses)
        {
            Assert.Contains(expected, responses);
        }
    }

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        Headless = true,
        ExecutablePath = ChromiumFactAttribute.ExecutablePath,
        // attacker.test and rebind.test resolve to this machine, as an attacker's DNS would make them. Chromium's own
        // local-network checks are off: the gateway must refuse these requests in browsers that do not make them.
        Args =
        [
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
            "--host-resolver-rules=MAP attacker.test 127.0.0.1, MAP rebind.test 127.0.0.1",
            "--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults",
        ],
    });

    [ChromiumFact]
    public async Task A_cross_origin_text_plain_post_is_refused()
    {
        var target = "/v1/messages";
        await using var host = await GatewayHost.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var url = new Uri(host.BaseUrl, target).ToString();
        var (page, responses) = await OpenAsync(browser, "http://attacker.test:9/", url);

        await SeenAsync(responses, (url, 403));
        Assert.StartsWith("blocked", await page.EvaluateAsync<string>("() => window.result.then(String)"), StringComparison.Ordinal);
        Assert.Empty(host.Upstream.Requests);
        await page.CloseAsync();

        // With the page's origin allowed, the same text/plain body is still refused (415: not JSON); a JSON request,
        // preflighted by the browser, is served and readable: the refusals above are Switchyard's, not the browser's.
        await using var allowing = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:BrowserSafety:AllowedOrigins:0"] = "http://attacker.test:9" });
        var allowedUrl = new Uri(allowing.BaseUrl, target).ToString();
        var (plain, plainResponses) = await OpenAsync(browser, "http://attacker.test:9/", allowedUrl);
        await SeenAsync(plainResponses, (allowedUrl, 415));
        Assert.Equal("415", await plain.EvaluateAsync<string>("() => window.result.then(String)"));
        Assert.Empty(allowing.Upstream.Requests);
        var (json, _) = await OpenAsync(browser, "http://attacker.test:9/", allowedUrl, "application/json");
        Assert.Equal("200", await json.EvaluateAsync<string>("() => window.result.then(String)"));
        Assert.Single(allowing.Upstream.Requests);
    }

    [ChromiumFact]
    public async Task A_page_on_a_rebound_host_name_cannot_read_answers_in_open_mode()
    {
        await using var host = await GatewayHost.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);

        // The page and its request share one origin, http://rebind.test:<port>, whose name now points at 127.0.0.1.
        var origin = $"http://rebind.test:{host.BaseUrl.Port}";
        var (page, _) = await OpenAsync(browser, origin + "/attack", origin + "/v1/messages", "application/json");
        Assert.Equal(403, await page.EvaluateAsync<int>("() => window.result"));
        Assert.Empty(host.Upstream.Requests);

        // Control: a host name the operator allows is served, so the refusal above is the Host check's.
        await using var allowing = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:BrowserSafety:AllowedHosts:0"] = "rebind.test" });
        var allowedOrigin = $"http://rebind.test:{allowing.BaseUrl.Port}";
        var (allowedPage, _) = await OpenAsync(browser, allowedOrigin + "/attack", allowedOrigin + "/v1/messages", "application/json");
        Assert.Equal(200, await allowedPage.EvaluateAsync<int>("() => window.result"));
        Assert.Single(allowing.Upstream.Requests);
    }
}
