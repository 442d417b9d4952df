using System.Text.Json.Nodes;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Hosting;

/// <summary>appsettings.json in the content root is polled: routes reload, and no directory tree is watched.</summary>
public sealed class ConfigurationWatchTests
{
    [Fact]
    public async Task Appsettings_changes_reload_routes_without_watching_the_content_root_tree()
    {
        await using var upstream = await FakeDeepSeek.StartAsync();
        var root = Directory.CreateTempSubdirectory("switchyard-root-").FullName;
        for (var i = 0; i < 40; i++)
        {
            Directory.CreateDirectory(Path.Combine(root, "tree", $"d{i}", "sub"));
        }

        await File.WriteAllTextAsync(Path.Combine(root, "appsettings.json"), "{}");
        var port = ServerProcess.FreePort();
        using var server = ServerProcess.Start(port, upstream, new Dictionary<string, string>
        {
            ["Switchyard__DataDirectory"] = Path.Combine(root, "data"),
            ["Switchyard__Admin__Key"] = AdminKey,
        }, workingDirectory: root);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await ServerProcess.WaitHealthyAsync(http);
            Assert.Equal(0, await RoutesAsync(http));
            if (OperatingSystem.IsLinux())
            {
                Assert.Equal(0, InotifyWatches(server.Id));
            }

            await File.WriteAllTextAsync(Path.Combine(root, "appsettings.json"),
                """{"Switchyard":{"Routes":[{"Name":"bg","Model":"claude-haiku-*","Targets":[{"Provider":"deepseek","Model":"deepseek-v4-flash"}]}]}}""");
            var routes = 0;
            for (var i = 0; i < 100 && routes != 1; i++)
            {
                await Task.Delay(200);
                routes = await RoutesAsync(http);
            }

            Assert.Equal(1, routes);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    private const string AdminKey = "watch-admin-key-0123456789abcdef0123456789ab";

    private static async Task<int> RoutesAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/readyz");
        request.Headers.Add("x-api-key", AdminKey);
        using var response = await http.SendAsync(request);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["checks"]!["routes"]!.GetValue<int>();
    }

    /// <summary>The inotify watches the process holds (0 without an inotify descriptor).</summary>
    private static int InotifyWatches(int pid) =>
        Directory.EnumerateFiles($"/proc/{pid}/fd")
            .Where(fd => new FileInfo(fd).LinkTarget?.Contains("inotify", StringComparison.Ordinal) == true)
            .Sum(fd => File.ReadLines($"/proc/{pid}/fdinfo/{Path.GetFileName(fd)}").Count(line => line.StartsWith("inotify", StringComparison.Ordinal)));
}
