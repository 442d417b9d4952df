using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Diagnostics.Tracing;
using System.Text;
using Microsoft.Diagnostics.NETCore.Client;
using Switchyard.Tests.Fakes;

namespace Switchyard.Tests.Infrastructure;

/// <summary>
/// The real server as a child process whose resident memory (VmRSS from /proc) a test reads: for memory bounds, which
/// an in-process host cannot show because the test itself shares the heap.
/// </summary>
public sealed class MeasuredServer : IAsyncDisposable
{
    private const long GcKeyword = 0x1;
    private const long GcHeapCollectKeyword = 0x800000;

    private readonly Process _process;
    private readonly DirectoryInfo _dataDir;

    private MeasuredServer(Process process, FakeDeepSeek upstream, DirectoryInfo dataDir, int port)
    {
        _process = process;
        _dataDir = dataDir;
        Upstream = upstream;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(3) };
    }

    /// <summary>The fake upstream.</summary>
    public FakeDeepSeek Upstream { get; }

    /// <summary>A client of the server.</summary>
    public HttpClient Http { get; }

    /// <summary>Whether /proc can be read (Linux).</summary>
    public static bool Supported => OperatingSystem.IsLinux();

    /// <summary>Starts the server with <paramref name="settings"/> (environment-variable names) and waits until it is healthy.</summary>
    public static async Task<MeasuredServer> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var upstream = await FakeDeepSeek.StartAsync();
        var dataDir = Directory.CreateTempSubdirectory("switchyard-memory-");
        var environment = new Dictionary<string, string> { ["Switchyard__DataDirectory"] = dataDir.FullName };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        var port = ServerProcess.FreePort();
        var server = new MeasuredServer(ServerProcess.Start(port, upstream, environment), upstream, dataDir, port);
        await ServerProcess.WaitHealthyAsync(server.Http);
        return server;
    }

    /// <summary>The server's resident set size in MB.</summary>
    public double ResidentMegabytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        throw new InvalidOperationException("No VmRSS in /proc status.");
    }

    /// <summary>
    /// Brings the server to its working idle state (code compiled, pools and heaps sized by ordinary use) with a few
    /// requests of each kind the measured load will send, then returns the resident size after a pause.
    /// </summary>
    public async Task<double> WarmIdleMegabytesAsync(Func<Task> warmUp)
    {
        ArgumentNullException.ThrowIfNull(warmUp);
        for (var i = 0; i < 3; i++)
        {
            await warmUp();
        }

        return await SettledMegabytesAsync();
    }

    /// <summary>
    /// The resident size once the server has been quiet for a moment and has run a full garbage collection (induced
    /// from outside, as dotnet-gcdump does, through an EventPipe session): what the server still holds, rather than where
    /// its allocation budget happened to stand. Memory kept by a pool or a cache is still counted; garbage is not.
    /// </summary>
    public async Task<double> SettledMegabytesAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        var client = new DiagnosticsClient(_process.Id);
        using (var session = client.StartEventPipeSession(
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GcKeyword | GcHeapCollectKeyword), requestRundown: false))
        {
            // The session's events must be read for it to run.
            var drain = Task.Run(() => session.EventStream.CopyTo(Stream.Null));
            await Task.Delay(TimeSpan.FromSeconds(2));
            session.Stop();
            await drain;
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        return ResidentMegabytes();
    }

    /// <summary>A body streamed in 64 KB pieces without a content-length (chunked), never held whole by the test.</summary>
    public static HttpContent ChunkedJson(long size)
    {
        var content = new GeneratedContent(size);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        await Upstream.DisposeAsync();
        try
        {
            _dataDir.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A Messages body whose one user message is <c>size</c> bytes of text, produced as it is sent.</summary>
    private sealed class GeneratedContent(long size) : HttpContent
    {
        private static readonly byte[] Head = Encoding.UTF8.GetBytes("{\"model\":\"deepseek-v4-flash\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"");
        private static readonly byte[] Tail = Encoding.UTF8.GetBytes("\"}]}");

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var piece = new byte[64 * 1024];
            Array.Fill(piece, (byte)'a');
            await stream.WriteAsync(Head);
            for (var sent = 0L; sent < size;)
            {
                var n = (int)Math.Min(piece.Length, size - sent);
                await stream.WriteAsync(piece.AsMemory(0, n));
                sent += n;
            }

            await stream.WriteAsync(Tail);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
