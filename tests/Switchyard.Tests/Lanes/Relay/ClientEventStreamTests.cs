using System.IO.Pipelines;
using System.Text;
using Switchyard.Lanes.Relay;

namespace Switchyard.Tests.Lanes.Relay;

/// <summary>
/// Chunks the upstream delivered together reach the client in one flush, and nothing written waits for the upstream:
/// the stream is flushed as soon as the next item is not already there.
/// </summary>
public sealed class ClientEventStreamTests
{
    [Fact]
    public async Task Buffered_items_leave_in_one_flush_made_before_waiting_on_the_upstream()
    {
        var response = new PipeResponse();
        var upstream = new StepEnumerator(ready: 3);
        await using (var client = new ClientEventStream(response, SseFrames.KeepAliveComment, TimeSpan.FromMinutes(5)))
        {
            await client.OpenAsync(CancellationToken.None);
            Assert.Equal(1, response.Writer.Flushes);
            var frames = new JsonFrame[1];
            var relay = Task.Run(async () =>
            {
                while (await client.NextAsync(upstream, CancellationToken.None))
                {
                    frames[0] = new JsonFrame(Encoding.UTF8.GetBytes($"{{\"n\":{upstream.Current}}}"), true);
                    await client.WriteAsync(frames, JsonFrameFormat.Instance, flush: false, CancellationToken.None);
                }
            });

            // The three items that were there already are written and flushed once, while the fourth is awaited.
            var sent = await response.ReadAsync("data: {\"n\":2}\n\n");
            Assert.Equal("data: {\"n\":0}\n\ndata: {\"n\":1}\n\ndata: {\"n\":2}\n\n", sent);
            Assert.Equal(2, response.Writer.Flushes);

            upstream.Release(more: true);
            Assert.Equal("data: {\"n\":3}\n\n", await response.ReadAsync("data: {\"n\":3}\n\n"));
            Assert.Equal(3, response.Writer.Flushes);
            upstream.Release(more: false);
            await relay;
        }
    }

    [Fact]
    public async Task A_write_that_asks_for_a_flush_flushes_at_once()
    {
        var response = new PipeResponse();
        await using var client = new ClientEventStream(response, SseFrames.KeepAliveComment, TimeSpan.FromMinutes(5));
        await client.WriteAsync([new JsonFrame("{}"u8.ToArray(), false)], JsonFrameFormat.Instance, CancellationToken.None);
        Assert.Equal(1, response.Writer.Flushes);
        await client.FlushAsync(CancellationToken.None);
        Assert.Equal(1, response.Writer.Flushes);
        Assert.Equal("data: {}\n\n", await response.ReadAsync("data: {}\n\n"));
    }

    /// <summary>Items 0..ready-1 are there at once; each later one waits for <see cref="Release"/>.</summary>
    private sealed class StepEnumerator(int ready) : IAsyncEnumerator<int>
    {
        private TaskCompletionSource<bool>? _pending;

        public int Current { get; private set; } = -1;

        public ValueTask<bool> MoveNextAsync()
        {
            if (Current + 1 < ready)
            {
                Current++;
                return ValueTask.FromResult(true);
            }

            _pending = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            return new ValueTask<bool>(_pending.Task);
        }

        public void Release(bool more)
        {
            SpinWait.SpinUntil(() => Volatile.Read(ref _pending) is not null);
            var pending = _pending!;
            _pending = null;
            if (more)
            {
                Current++;
            }

            pending.SetResult(more);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class PipeResponse : IClientResponse
    {
        private readonly Pipe _pipe = new();
        private readonly StringBuilder _read = new();

        public PipeResponse() => Writer = new CountingWriter(_pipe.Writer);

        public CancellationToken Aborted => CancellationToken.None;

        public bool HasStarted { get; private set; }

        public CountingWriter Writer { get; }

        PipeWriter IClientResponse.Writer => Writer;

        public void SetHeader(string name, string? value)
        {
        }

        public void Start(int status, string contentType, bool stream) => HasStarted = true;

        /// <summary>Reads what was flushed until it ends with <paramref name="end"/>; returns it.</summary>
        public async Task<string> ReadAsync(string end)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (!_read.ToString().EndsWith(end, StringComparison.Ordinal))
            {
                var result = await _pipe.Reader.ReadAsync(timeout.Token);
                foreach (var segment in result.Buffer)
                {
                    _read.Append(Encoding.UTF8.GetString(segment.Span));
                }

                _pipe.Reader.AdvanceTo(result.Buffer.End);
            }

            var text = _read.ToString();
            _read.Clear();
            return text;
        }
    }

    private sealed class CountingWriter(PipeWriter inner) : PipeWriter
    {
        private int _flushes;

        public int Flushes => Volatile.Read(ref _flushes);

        public override void Advance(int bytes) => inner.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _flushes);
            return inner.FlushAsync(cancellationToken);
        }
    }
}
