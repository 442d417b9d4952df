using System.Collections.Concurrent;
using System.Text;
using Switchyard.Observability;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Observability;

/// <summary>Client text in log lines cannot break a line or forge one.</summary>
public sealed class LogTextTests
{
    [Theory]
    [InlineData("plain model", "plain model")]
    [InlineData("a\r\nb", "a\\r\\nb")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("esc\u001b[31m", "esc\\u001b[31m")]
    [InlineData("nel\u0085ls\u2028ps\u2029del\u007f", "nel\\u0085ls\\u2028ps\\u2029del\\u007f")]
    [InlineData("é ü 中", "é ü 中")]
    public void Control_characters_are_escaped(string text, string logged) => Assert.Equal(logged, LogText.Escape(text));

    [Fact]
    public async Task A_crlf_in_the_model_stays_on_the_request_line()
    {
        await using var upstream = await FakeDeepSeek.StartAsync();
        var dataDir = Directory.CreateTempSubdirectory("switchyard-logtext-");
        var port = ServerProcess.FreePort();
        var lines = new ConcurrentQueue<string>();
        using var server = ServerProcess.Start(port, upstream, new Dictionary<string, string>
        {
            ["Switchyard__DataDirectory"] = dataDir.FullName,
            ["Logging__LogLevel__Switchyard.Requests"] = "Information",
            ["Switchyard__Resilience__MaxRetries"] = "0",
        }, lines.Enqueue);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await ServerProcess.WaitHealthyAsync(http);
            var body = """{"model":"claude-x\r\nINJECTED forged line","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""";
            using (await http.PostAsync("/v1/messages", new StringContent(body, Encoding.UTF8, "application/json")))
            {
            }

            // A 5xx is logged with its message, which quotes the upstream's own words.
            upstream.Enqueue(FakeReply.Error(500, FakeDeepSeek.ErrorJson("boom\r\nINJECTED second", "api_error")));
            using (await http.PostAsync("/v1/messages", new StringContent(body.Replace("\\r\\nINJECTED forged line", "", StringComparison.Ordinal), Encoding.UTF8, "application/json")))
            {
            }

            for (var i = 0; i < 50 && lines.Count(l => l.Contains("INJECTED", StringComparison.Ordinal)) < 2; i++)
            {
                await Task.Delay(100);
            }

            var logged = lines.Where(l => l.Contains("INJECTED", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, logged.Count);
            Assert.All(logged, line => Assert.DoesNotMatch(@"^\s*INJECTED", line));
            Assert.Contains(logged, line => line.Contains("model=claude-x\\r\\nINJECTED forged line->", StringComparison.Ordinal));
            Assert.Contains(logged, line => line.Contains("boom\\r\\nINJECTED second", StringComparison.Ordinal));
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync();
            dataDir.Delete(recursive: true);
        }
    }
}
