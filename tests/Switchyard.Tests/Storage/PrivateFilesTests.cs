using System.Net;
using Switchyard.Tests.Infrastructure;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Storage;

/// <summary>The platform's files are the owner's alone: database, -wal, -shm, outbox and signing key are 0600.</summary>
public sealed class PrivateFilesTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task State_files_are_created_0600_in_a_0700_directory()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var parent = Directory.CreateTempSubdirectory("switchyard-files-");
        var dataDir = Path.Combine(parent.FullName, "data");
        try
        {
            await using (var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:DataDirectory"] = dataDir }))
            {
                var answer = await PostJsonAsync(host, "/v1/messages", SimpleBody());
                Assert.Equal(HttpStatusCode.OK, answer.Status);
                var files = new[] { "switchyard.db", "switchyard.db-wal", "switchyard.db-shm", "thinking-signing.key" }
                    .Select(name => Path.Combine(dataDir, name))
                    .Concat(Directory.EnumerateFiles(Path.Combine(dataDir, "outbox"), "ledger-*.jsonl"))
                    .ToList();
                Assert.Equal(5, files.Count(File.Exists));
                foreach (var file in files.Where(File.Exists))
                {
                    Assert.True(File.GetUnixFileMode(file) == OwnerReadWrite, $"{file}: {File.GetUnixFileMode(file)}");
                }

                Assert.Equal(OwnerReadWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dataDir));
                Assert.Equal(OwnerReadWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(dataDir, "outbox")));
            }
        }
        finally
        {
            parent.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Files_left_world_readable_by_an_older_version_are_restricted_on_start()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var dataDir = Directory.CreateTempSubdirectory("switchyard-files-old-");
        try
        {
            await using (await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:DataDirectory"] = dataDir.FullName }))
            {
            }

            var readable = OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            var db = Path.Combine(dataDir.FullName, "switchyard.db");
            var key = Path.Combine(dataDir.FullName, "thinking-signing.key");
            File.SetUnixFileMode(db, readable);
            File.SetUnixFileMode(key, readable);
            await using (await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:DataDirectory"] = dataDir.FullName }))
            {
                Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(db));
                Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(key));
            }
        }
        finally
        {
            dataDir.Delete(recursive: true);
        }
    }
}
