using System.Net;
using Switchyard.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Switchyard.Tests.Endpoints;

/// <summary>
/// Request bodies are held only while they are served: chunked uploads over the limit are cut off at the limit, and
/// the memory they took goes back, instead of staying in a process-wide pool.
/// </summary>
public sealed class RequestBodyMemoryTests(ITestOutputHelper output)
{
    private const double AllowedGrowthMegabytes = 50;

    [Fact]
    public async Task Concurrent_oversized_chunked_uploads_leave_resident_memory_near_idle()
    {
        if (!MeasuredServer.Supported)
        {
            return;
        }

        await using var server = await MeasuredServer.StartAsync();
        var idle = await server.WarmIdleMegabytesAsync(async () =>
        {
            // Both kinds of body read: one of unknown length within the limit, one over it.
            using var small = await server.Http.PostAsync("/v1/messages", MeasuredServer.ChunkedJson(200_000));
            Assert.Equal(HttpStatusCode.OK, small.StatusCode);
            using var large = await server.Http.PostAsync("/v1/messages", MeasuredServer.ChunkedJson(40L << 20));
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        });

        var statuses = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var response = await server.Http.PostAsync("/v1/messages", MeasuredServer.ChunkedJson(50L << 20));
            return response.StatusCode;
        }));
        var after = await server.SettledMegabytesAsync();
        output.WriteLine($"resident: {idle:F0} MB idle, {after:F0} MB after 16 concurrent chunked 50 MB uploads");

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status));
        Assert.True(after - idle <= AllowedGrowthMegabytes, $"resident memory grew from {idle:F0} MB to {after:F0} MB");
    }
}
