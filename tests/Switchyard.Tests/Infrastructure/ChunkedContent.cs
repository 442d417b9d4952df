namespace Switchyard.Tests.Infrastructure;

/// <summary>Request content sent in 8 KB pieces without a content-length (chunked transfer encoding).</summary>
public sealed class ChunkedContent(byte[] data) : HttpContent
{
    /// <inheritdoc />
    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        for (var i = 0; i < data.Length; i += 8192)
        {
            await stream.WriteAsync(data.AsMemory(i, Math.Min(8192, data.Length - i)));
            await stream.FlushAsync();
        }
    }

    /// <inheritdoc />
    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
