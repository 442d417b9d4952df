using System.Net.Sockets;
using System.Text;
using Switchyard.Hosting;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Hosting;

/// <summary><c>Switchyard:MaxConnections</c>: overload refuses connections instead of exhausting file descriptors.</summary>
public sealed class ConnectionLimitsTests
{
    [Fact]
    public async Task Connections_beyond_the_cap_are_refused_while_the_held_ones_keep_working()
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:MaxConnections"] = "2" });
        using var first = await ConnectAsync(host);
        using var second = await ConnectAsync(host);
        Assert.StartsWith("HTTP/1.1 200", await GetHealthAsync(first));
        Assert.StartsWith("HTTP/1.1 200", await GetHealthAsync(second));

        using (var third = await ConnectAsync(host))
        {
            // The kernel accepts the TCP connection; Kestrel closes it without answering.
            Assert.Equal("", await GetHealthAsync(third));
        }

        Assert.StartsWith("HTTP/1.1 200", await GetHealthAsync(first));
        second.Dispose();
        await Task.Delay(200);
        using var fourth = await ConnectAsync(host);
        Assert.StartsWith("HTTP/1.1 200", await GetHealthAsync(fourth));
    }

    [Theory]
    [InlineData(null, 20000L, 18000L)]
    [InlineData(null, 1024L, 768L)]
    [InlineData(null, null, null)]
    [InlineData("500", 20000L, 500L)]
    [InlineData("0", 20000L, null)]
    public void The_cap_is_configured_or_derived_from_the_descriptor_limit(string? configured, long? fdLimit, long? expected) =>
        Assert.Equal(expected, ConnectionLimits.Resolve(configured, fdLimit));

    [Fact]
    public void A_bad_value_names_the_setting() =>
        Assert.Contains("Switchyard:MaxConnections", Assert.Throws<InvalidOperationException>(() => ConnectionLimits.Resolve("-3", 20000)).Message);

    [Fact]
    public void The_soft_limit_is_read_from_proc_limits()
    {
        const string limits = """
            Limit                     Soft Limit           Hard Limit           Units
            Max processes             95129                95129                processes
            Max open files            4096                 20000                files
            Max locked memory         8388608              8388608              bytes
            """;
        Assert.Equal(4096, ConnectionLimits.ParseOpenFilesLimit(limits));
        Assert.Null(ConnectionLimits.ParseOpenFilesLimit("Max open files            unlimited            unlimited            files"));
        if (OperatingSystem.IsLinux())
        {
            Assert.NotNull(ConnectionLimits.OpenFilesLimit());
        }
    }

    private static async Task<Socket> ConnectAsync(GatewayHost host)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(host.BaseUrl.Host, host.BaseUrl.Port);
        return socket;
    }

    /// <summary>Sends a keep-alive <c>GET /healthz</c>; returns the response head, or "" when the server closed the connection.</summary>
    private static async Task<string> GetHealthAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"), SocketFlags.None, timeout.Token);
            var buffer = new byte[4096];
            var text = "";
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (read == 0)
                {
                    return text;
                }

                text += Encoding.ASCII.GetString(buffer, 0, read);
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                var length = System.Text.RegularExpressions.Regex.Match(text, "(?i)content-length: *([0-9]+)");
                if (end >= 0 && (!length.Success || text.Length >= end + 4 + int.Parse(length.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)))
                {
                    return text;
                }
            }
        }
        catch (SocketException)
        {
            return "";
        }
    }
}
