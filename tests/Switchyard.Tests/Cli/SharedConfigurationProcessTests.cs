using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Cli;

/// <summary>
/// The server and the commands, as separate processes started from different folders, resolve one configuration:
/// a key created by <c>keys create</c> is in the database the running server reads.
/// </summary>
public sealed class SharedConfigurationProcessTests : IDisposable
{
    private readonly string _deployment = Directory.CreateTempSubdirectory("switchyard-deploy-").FullName;
    private readonly string _elsewhere = Directory.CreateTempSubdirectory("switchyard-elsewhere-").FullName;

    [Fact]
    public async Task Keys_created_from_the_same_or_another_working_directory_reach_the_running_server()
    {
        // The folder's settings name a relative data directory: it must mean <folder>/state for the server and every command.
        await File.WriteAllTextAsync(Path.Combine(_deployment, "appsettings.json"), """{"Switchyard":{"DataDirectory":"state"}}""");
        await using var upstream = await FakeDeepSeek.StartAsync();
        var port = ServerProcess.FreePort();
        using var server = ServerProcess.Start(port, upstream, new Dictionary<string, string>(), workingDirectory: _deployment);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await ServerProcess.WaitHealthyAsync(http);

            var sameFolder = await RunCliAsync(_deployment, "keys", "create", "--name", "from-the-folder", "--json");
            var otherFolder = await RunCliAsync(_elsewhere, "keys", "create", "--name", "from-elsewhere", "--json", "--contentRoot", _deployment);
            Assert.True(File.Exists(Path.Combine(_deployment, "state", "switchyard.db")));

            foreach (var secret in new[] { sameFolder, otherFolder })
            {
                upstream.Enqueue(FakeReply.Text("hello"));
                Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, secret));
            }

            // Keys exist in the server's database, so it no longer runs in open mode.
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, "sk-sy-not-a-key"));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = JsonContent.Create(new { model = "deepseek-v4-flash", max_tokens = 16, messages = new[] { new { role = "user", content = "hi" } } }),
        };
        request.Headers.Add("x-api-key", key);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Runs <c>switchyard …</c> as its own process in <paramref name="workingDirectory"/>; returns the new key's secret.</summary>
    private static async Task<string> RunCliAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [ServerProcess.Dll(), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await error);
        return JsonNode.Parse(await output)!["secret"]!.GetValue<string>();
    }

    public void Dispose()
    {
        Directory.Delete(_deployment, recursive: true);
        Directory.Delete(_elsewhere, recursive: true);
    }
}
