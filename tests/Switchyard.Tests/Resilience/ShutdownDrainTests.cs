using System.Diagnostics;
using System.Net;
using System.Text;
using Switchyard.Tests.Infrastructure;
using Switchyard.Tests.Fakes;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Resilience;

/// <summary>SIGTERM lets in-flight streams finish (up to Switchyard:DrainTimeout), then the process exits.</summary>
public sealed class ShutdownDrainTests
{
    [Fact]
    public async Task An_in_flight_stream_completes_after_sigterm()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var upstream = await FakeDeepSeek.StartAsync();
        upstream.Enqueue(new FakeReply { Content = new string('x', 60), ChunkSize = 3, ChunkDelay = TimeSpan.FromMilliseconds(150) });
        var dataDir = Directory.CreateTempSubdirectory("switchyard-drain-");
        var port = ServerProcess.FreePort();
        using var server = ServerProcess.Start(port, upstream, new Dictionary<string, string>
        {
            ["Switchyard__DataDirectory"] = dataDir.FullName,
            ["Switchyard__DrainTimeout"] = "00:00:20",
        });
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
            await ServerProcess.WaitHealthyAsync(http);

            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
            {
                Content = new StringContent(SimpleBody("drain me", stream: true).ToJsonString(), Encoding.UTF8, "application/json"),
            };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync();
            using var reader = new StreamReader(body);
            var text = new StringBuilder();
            text.AppendLine(await reader.ReadLineAsync());

            using (var kill = Process.Start("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            text.Append(await reader.ReadToEndAsync());
            var events = ParseSse(text.ToString());
            Assert.Equal("message_stop", events[^1].Event);
            var streamed = string.Concat(events.Where(e => e.Event == "content_block_delta").Select(e => e.Json!["delta"]!["text"]!.GetValue<string>()));
            Assert.Equal(new string('x', 60), streamed);

            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await server.WaitForExitAsync(exited.Token);
            Assert.Equal(0, server.ExitCode);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill();
            }

            try
            {
                dataDir.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    [Fact]
    public async Task A_stream_still_running_when_the_drain_time_ends_gets_an_error_event_and_is_recorded_as_cut()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var upstream = await FakeDeepSeek.StartAsync();
        upstream.Enqueue(new FakeReply { Content = new string('y', 300), ChunkSize = 3, ChunkDelay = TimeSpan.FromMilliseconds(200) });
        var dataDir = Directory.CreateTempSubdirectory("switchyard-drain-cut-");
        var port = ServerProcess.FreePort();
        using var server = ServerProcess.Start(port, upstream, new Dictionary<string, string>
        {
            ["Switchyard__DataDirectory"] = dataDir.FullName,
            ["Switchyard__DrainTimeout"] = "00:00:02",
        });
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
            await ServerProcess.WaitHealthyAsync(http);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
            {
                Content = new StringContent(SimpleBody("cut me", stream: true).ToJsonString(), Encoding.UTF8, "application/json"),
            };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var requestId = response.Headers.GetValues("request-id").Single();
            await using var body = await response.Content.ReadAsStreamAsync();
            using var reader = new StreamReader(body);
            var text = new StringBuilder();
            text.AppendLine(await reader.ReadLineAsync());
            using (var kill = Process.Start("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            text.Append(await reader.ReadToEndAsync());
            var events = ParseSse(text.ToString());
            Assert.Equal("error", events[^1].Event);
            Assert.Equal("overloaded_error", events[^1].Json!["error"]!["type"]!.GetValue<string>());
            Assert.Contains("shutting down", events[^1].Json!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await server.WaitForExitAsync(exited.Token);
            await using var runtime = new Switchyard.Platform.PlatformRuntime(new Switchyard.Platform.PlatformOptions(), dataDir.FullName);
            await runtime.StartAsync();
            var record = await runtime.Ledger.Store.GetAsync(requestId);
            Assert.NotNull(record);
            Assert.Equal("cut", record!.StopReason);
            Assert.Equal("overloaded_error", record.ErrorType);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill();
            }

            try
            {
                dataDir.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
