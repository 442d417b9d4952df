using System.Runtime.InteropServices;
using System.Text;
using Switchyard.Lanes.Relay;

namespace Switchyard.Tests.Lanes.Relay;

/// <summary>A relay's event data comes in one reused buffer, not a new array per event, and is still whole.</summary>
public sealed class EventDataBufferTests
{
    [Fact]
    public void Events_reuse_one_buffer_until_a_larger_event_grows_it()
    {
        var buffer = new EventDataBuffer();
        var first = buffer.Parser("message", "{\"a\":1}"u8);
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(first.Span));
        Assert.True(MemoryMarshal.TryGetArray(first, out var firstArray));

        var second = buffer.Parser("message", "{\"b\":22}"u8);
        Assert.Equal("{\"b\":22}", Encoding.UTF8.GetString(second.Span));
        Assert.True(MemoryMarshal.TryGetArray(second, out var secondArray));
        Assert.Same(firstArray.Array, secondArray.Array);

        var large = new string('x', 5000);
        var third = buffer.Parser("message", Encoding.UTF8.GetBytes(large));
        Assert.Equal(large, Encoding.UTF8.GetString(third.Span));

        var fourth = buffer.Parser("message", "[DONE]"u8);
        Assert.True(fourth.Span.SequenceEqual("[DONE]"u8));
    }
}
