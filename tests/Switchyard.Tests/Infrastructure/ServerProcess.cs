using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Switchyard.Tests.Fakes;

namespace Switchyard.Tests.Infrastructure;

/// <summary>The real Switchyard executable as a child process (for kill -9, SIGTERM and console-log tests).</summary>
public static class ServerProcess
{
    /// <summary>src/Switchyard/bin/&lt;Configuration&gt;/net10.0/switchyard.dll next to this test build.</summary>
    public static string Dll()
    {
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var repo = tfmDir.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(repo, "src", "Switchyard", "bin", tfmDir.Parent!.Name, tfmDir.Name, "switchyard.dll");
        Assert.True(File.Exists(dll), dll);
        return dll;
    }

    /// <summary>A loopback port that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts the server on 127.0.0.1:<paramref name="port"/> in front of <paramref name="upstream"/> with the given
    /// settings (environment-variable names). Standard output lines go to <paramref name="onOutput"/>, if given; the
    /// process runs in <paramref name="workingDirectory"/> (its content root), if given.
    /// </summary>
    public static Process Start(
        int port, FakeDeepSeek upstream, IReadOnlyDictionary<string, string> settings, Action<string>? onOutput = null, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(settings);
        var start = new ProcessStartInfo("dotnet", [Dll(), "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        // In-process hosts set this in the test process; the child must choose for itself.
        start.Environment.Remove("DOTNET_USE_POLLING_FILE_WATCHER");
        start.Environment["Switchyard__Upstream__BaseUrl"] = upstream.BaseUrl.ToString();
        start.Environment["Switchyard__Upstream__ApiKey"] = upstream.ApiKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onOutput?.Invoke(e.Data);
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits up to 15 s for <c>/healthz</c> to answer 200.</summary>
    public static async Task WaitHealthyAsync(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        for (var i = 0; i < 150; i++)
        {
            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The server did not become healthy.");
    }
}
