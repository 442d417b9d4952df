using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using Switchyard.Tests.Robustness;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Providers;

/// <summary>How upstream failures reach the client: with their own status, and without the upstream's address.</summary>
public sealed class UpstreamErrorsTests
{
    [Theory]
    [InlineData("/v1/messages")]
    [InlineData("/v1/chat/completions")]
    public async Task An_upstream_422_stays_422(string path)
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { ErrorStatus = 422, ErrorBody = """{"error":{"message":"Invalid value for top_p","type":"invalid_request_error","param":null,"code":"invalid_request_error"}}""" });
        var body = path == "/v1/messages" ? SimpleBody().ToJsonString() : """{"model":"deepseek-v4-flash","messages":[{"role":"user","content":"hi"}]}""";
        var answer = await PostJsonAsync(host, path, body);
        CallerFormats.AssertError(answer, path, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Invalid value for top_p", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_upstream_is_a_502_that_does_not_name_its_address_which_goes_to_the_log()
    {
        await using var placeholder = await FakeDeepSeek.StartAsync();
        var closedPort = ServerProcess.FreePort();
        var port = ServerProcess.FreePort();
        var dataDir = Directory.CreateTempSubdirectory("switchyard-unreachable-");
        var output = new ConcurrentQueue<string>();
        using var server = ServerProcess.Start(port, placeholder, new Dictionary<string, string>
        {
            ["Switchyard__DataDirectory"] = dataDir.FullName,
            ["Switchyard__Upstream__BaseUrl"] = $"http://127.0.0.1:{closedPort}",
            ["Switchyard__Resilience__MaxRetries"] = "0",
        }, output.Enqueue);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await ServerProcess.WaitHealthyAsync(http);
            foreach (var (path, body) in new[]
            {
                ("/v1/messages", SimpleBody().ToJsonString()),
                ("/v1/chat/completions", """{"model":"deepseek-v4-flash","messages":[{"role":"user","content":"hi"}]}"""),
            })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                var answer = await SendAsync(http, request);
                CallerFormats.AssertError(answer, path, HttpStatusCode.BadGateway);
                Assert.DoesNotContain(closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture), answer.Body, StringComparison.Ordinal);
                Assert.DoesNotContain("127.0.0.1", answer.Body, StringComparison.Ordinal);
                Assert.Contains("could not be reached", answer.Body, StringComparison.Ordinal);
            }

            for (var i = 0; i < 50 && !output.Any(line => line.Contains($"127.0.0.1:{closedPort}", StringComparison.Ordinal)); i++)
            {
                await Task.Delay(100);
            }

            Assert.Contains(output, line => line.Contains($"127.0.0.1:{closedPort}", StringComparison.Ordinal));
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync();
            dataDir.Delete(recursive: true);
        }
    }
}
