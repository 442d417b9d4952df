using System.Net;
using Switchyard.Lanes.Relay;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Lanes.Relay;

/// <summary>Pings of many streams come from one shared timer, which forgets each stream when it ends.</summary>
public sealed class PingSchedulerTests
{
    [Fact]
    public async Task Concurrent_silent_streams_all_get_pings_from_one_scheduler_that_lets_them_go()
    {
        // An interval no other test uses, so the scheduler's count is this test's alone.
        var interval = TimeSpan.FromMilliseconds(230);
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:PingInterval"] = "00:00:00.230" });
        for (var i = 0; i < 3; i++)
        {
            host.Upstream.Enqueue(new FakeReply { Content = "slow text", ChunkSize = 5, ChunkDelay = TimeSpan.FromMilliseconds(900) });
        }

        var scheduler = PingScheduler.For(interval);
        var streams = Enumerable.Range(0, 3).Select(_ => PostJsonAsync(host, "/v1/messages", SimpleBody(stream: true))).ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        var most = 0;
        while (streams.Any(s => !s.IsCompleted) && DateTime.UtcNow < deadline)
        {
            most = Math.Max(most, scheduler.Count);
            await Task.Delay(20);
        }

        foreach (var answer in await Task.WhenAll(streams))
        {
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            var events = ParseSse(answer.Body);
            Assert.Equal("slow text", BlocksOf(AssertWellFormedStream(events)).Single().Text);
            var firstDelta = events.FindIndex(e => e.Event == "content_block_delta");
            var secondDelta = events.FindIndex(firstDelta + 1, e => e.Event == "content_block_delta");
            Assert.Contains(events.Skip(firstDelta).Take(secondDelta - firstDelta), e => e.Event == "ping");
        }

        Assert.Equal(3, most);
        Assert.Equal(0, scheduler.Count);
    }
}
