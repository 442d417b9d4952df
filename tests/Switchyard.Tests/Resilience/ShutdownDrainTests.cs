using System.Diagnostics;
using System.Net;
using System.Text;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
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

        var reply = new FakeReply { Content = new string('x', 60), ChunkSize = 3, ChunkDelay = TimeSpan.FromMilliseconds(150) };
        var drained = await StreamThroughSigtermAsync(reply, drainTimeout: "00:00:20");

        Assert.Equal(HttpStatusCode.OK, drained.Status);
        Assert.Equal("message_stop", drained.Events[^1].Event);
        var streamed = string.Concat(drained.Events.Where(e => e.Event == "content_block_delta").Select(e => e.Json!["delta"]!["text"]!.GetValue<string>()));
        Assert.Equal(new string('x', 60), streamed);
        Assert.Equal(0, drained.ExitCode);
    }

    [Fact]
    public async Task A_stream_still_running_when_the_drain_time_ends_gets_an_error_event_and_is_recorded_as_cut()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var reply = new FakeReply { Content = new string('y', 300), ChunkSize = 3, ChunkDelay = TimeSpan.FromMilliseconds(200) };
        var drained = await StreamThroughSigtermAsync(reply, drainTimeout: "00:00:02");

        var last = drained.Events[^1];
        Assert.Equal("error", last.Event);
        Assert.Equal("overloaded_error", last.Json!["error"]!["type"]!.GetValue<string>());
        Assert.Contains("shutting down", last.Json!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(drained.Record);
        Assert.Equal("cut", drained.Record!.StopReason);
        Assert.Equal("overloaded_error", drained.Record.ErrorType);
    }

    private sealed record Drained(HttpStatusCode Status, IReadOnlyList<SseEvent> Events, int ExitCode, Switchyard.Accounting.RequestRecord? Record);

    /// <summary>
    /// Starts the real server, opens a Messages stream served by <paramref name="reply"/>, sends SIGTERM once the
    /// first line arrived, reads the stream to its end, waits for the process to exit and reads the request's ledger record.
    /// </summary>
    private static async Task<Drained> StreamThroughSigtermAsync(FakeReply reply, string drainTimeout)
    {
        await using var upstream = await FakeDeepSeek.StartAsync();
        upstream.Enqueue(reply);
        var dataDir = Directory.CreateTempSubdirectory("switchyard-drain-");
        var port = ServerProcess.FreePort();
        using var server = ServerProcess.Start(port, upstream, new Dictionary<string, string>
        {
            ["Switchyard__DataDirectory"] = dataDir.FullName,
            ["Switchyard__DrainTimeout"] = drainTimeout,
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
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await server.WaitForExitAsync(exited.Token);
            await using var runtime = new Switchyard.Platform.PlatformRuntime(new Switchyard.Platform.PlatformOptions(), dataDir.FullName);
            await runtime.StartAsync();
            return new Drained(response.StatusCode, ParseSse(text.ToString()), server.ExitCode, await runtime.Ledger.Store.GetAsync(requestId));
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
