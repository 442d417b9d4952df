using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.WebUtilities;
using Switchyard.Anthropic;
using Switchyard.Errors;

namespace Switchyard.Hosting;

/// <summary>
/// Gives Kestrel's own protocol rejections (400 for a malformed request line, header or path, 414, 431, 505…) a body
/// in the caller's format. Kestrel answers these itself, before any application code runs, with an empty body, and
/// offers no hook. This connection middleware (HTTP/1.x) notes the request line of each request as it arrives, and
/// when a bodiless error answer goes out while no request is in the application, rewrites it with the error in the
/// format of the noted path. HTTP/2 connections and everything else pass through untouched.
/// </summary>
internal static class ProtocolRejections
{
    /// <summary>Adds the connection middleware to every Kestrel endpoint.</summary>
    public static void Apply(WebApplicationBuilder builder) =>
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => connection => ServeAsync(connection, next))));

    /// <summary>The HTTP middleware half: marks when the application is handling a request on the connection.</summary>
    public static async Task MarkRequestsAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var state = context.Features.Get<ConnectionState>();
        state?.RequestStarted();
        try
        {
            await next(context);
        }
        finally
        {
            state?.RequestEnded();
        }
    }

    private static async Task ServeAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var state = new ConnectionState();
        var transport = connection.Transport;
        connection.Features.Set(state);
        connection.Transport = new Pipe(new ObservingReader(transport.Input, state), new RewritingWriter(transport.Output, state));
        try
        {
            await next(connection);
        }
        finally
        {
            connection.Transport = transport;
        }
    }

    /// <summary>What the connection is doing: whether a request is in the application, and the last request line seen.</summary>
    internal sealed class ConnectionState
    {
        private const int MaxTarget = 8 * 1024;
        private volatile bool _active;
        private volatile bool _awaitingRequest = true;
        private volatile bool _passThrough;
        private bool _seenData;
        private volatile string? _target;
        private volatile bool _anthropicVersion;

        public bool Active => _active || _passThrough;

        public void RequestStarted()
        {
            _active = true;
            _awaitingRequest = false;
        }

        public void RequestEnded()
        {
            _target = null;
            _awaitingRequest = true;
            _active = false;
        }

        /// <summary>Notes the request target when <paramref name="buffer"/> starts a request (<c>METHOD target …</c>).</summary>
        public void Observe(in ReadOnlySequence<byte> buffer)
        {
            if (!_awaitingRequest || _passThrough || buffer.IsEmpty)
            {
                return;
            }

            Span<byte> head = stackalloc byte[(int)Math.Min(buffer.Length, MaxTarget + 32)];
            buffer.Slice(0, head.Length).CopyTo(head);
            var first = !_seenData;
            _seenData = true;
            if ((first && !char.IsAsciiLetterUpper((char)head[0])) || head.StartsWith("PRI "u8))
            {
                // HTTP/2 (its preface starts "PRI * HTTP/2.0") or not HTTP at all (e.g. TLS not yet decrypted).
                _passThrough = true;
                return;
            }

            var space = head.IndexOf((byte)' ');
            if (space <= 0 || head[..space].ContainsAnyExceptInRange((byte)'A', (byte)'Z'))
            {
                // Not the start of a request (e.g. the rest of a body Kestrel is draining): look again at the next read.
                return;
            }

            var target = head[(space + 1)..];
            var end = target.IndexOfAny((byte)' ', (byte)'\r', (byte)'\n');
            _target = Encoding.Latin1.GetString(end < 0 ? target : target[..end]);
            // The one header the format depends on (/v1/models serves both), when it came with the request line.
            _anthropicVersion = Encoding.Latin1.GetString(head).Contains("\nanthropic-version:", StringComparison.OrdinalIgnoreCase);
            _awaitingRequest = false;
        }

        /// <summary>The rewritten answer when <paramref name="response"/> is Kestrel's bodiless rejection, else null.</summary>
        public byte[]? Rewrite(ReadOnlySpan<byte> response)
        {
            if (!response.StartsWith("HTTP/1."u8) || response.Length < 16 || !response.EndsWith("\r\n\r\n"u8) ||
                response.IndexOf("\r\n\r\n"u8) != response.Length - 4 || response.IndexOf("\r\nContent-Length: 0\r\n"u8) < 0 ||
                response.IndexOf("\r\nConnection: close\r\n"u8) < 0 || response.IndexOf("\r\nContent-Type:"u8) >= 0 ||
                !int.TryParse(response.Slice(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status < 400)
            {
                return null;
            }

            var path = Uri.UnescapeDataString(_target?.Split('?')[0] ?? "/");
            var requestId = AnthropicIds.NewRequestId();
            var body = EdgeErrors.Body(path, _anthropicVersion, Explain(status), requestId);
            var answerStatus = status == 505 ? 400 : status;
            var head = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {answerStatus} {ReasonPhrases.GetReasonPhrase(answerStatus)}\r\n")
                .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n")
                .Append("Content-Type: application/json\r\n")
                .Append("Connection: close\r\n")
                .Append(CultureInfo.InvariantCulture, $"Date: {DateTimeOffset.UtcNow:R}\r\n")
                .Append(CultureInfo.InvariantCulture, $"request-id: {requestId}\r\n\r\n");
            return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body];
        }

        /// <summary>What Kestrel's status means to the client. The status stays, but a 505 (the client's mistake too) becomes a 400.</summary>
        private static GatewayException Explain(int status) => status switch
        {
            413 => new(GatewayErrorKind.RequestTooLarge, "The request body is larger than the server accepts."),
            414 => new(GatewayErrorKind.InvalidRequest, "The request line (method, path and query) is longer than the server's limit of 8 KB."),
            431 => new(GatewayErrorKind.InvalidRequest, "The request headers are larger than the server's limits (32 KB in all, 100 headers)."),
            505 => new(GatewayErrorKind.InvalidRequest, "This HTTP version is not supported: send HTTP/1.1 or HTTP/2."),
            408 => new(GatewayErrorKind.InvalidRequest, "The request was not received in time."),
            411 => new(GatewayErrorKind.InvalidRequest, "A request with a body needs content-length or transfer-encoding: chunked."),
            _ => new(GatewayErrorKind.InvalidRequest,
                $"The HTTP server rejected the request as malformed ({status} {ReasonPhrases.GetReasonPhrase(status)}): check the request line, the path's encoding and the headers."),
        };
    }

    private sealed class Pipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>Passes reads through, showing each buffer to the state.</summary>
    private sealed class ObservingReader(PipeReader inner, ConnectionState state) : PipeReader
    {
        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var result = await inner.ReadAsync(cancellationToken);
            state.Observe(result.Buffer);
            return result;
        }

        public override bool TryRead(out ReadResult result)
        {
            if (!inner.TryRead(out result))
            {
                return false;
            }

            state.Observe(result.Buffer);
            return true;
        }

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
    }

    /// <summary>
    /// Passes writes through while a request is in the application; outside one (response tails, and Kestrel's own
    /// answers) holds them until the flush, so that a bodiless rejection can be replaced whole.
    /// </summary>
    private sealed class RewritingWriter(PipeWriter inner, ConnectionState state) : PipeWriter
    {
        private const int KeptCapacity = 16 * 1024;
        private ArrayBufferWriter<byte> _held = new(256);
        private bool _holding;

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes + _held.WrittenCount;

        public override Memory<byte> GetMemory(int sizeHint = 0)
        {
            _holding = !state.Active;
            return _holding ? _held.GetMemory(sizeHint) : inner.GetMemory(sizeHint);
        }

        public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public override void Advance(int bytes)
        {
            if (_holding)
            {
                _held.Advance(bytes);
            }
            else
            {
                inner.Advance(bytes);
            }
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Release();
            return inner.FlushAsync(cancellationToken);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null)
        {
            Release();
            inner.Complete(exception);
        }

        public override async ValueTask CompleteAsync(Exception? exception = null)
        {
            Release();
            await inner.CompleteAsync(exception);
        }

        private void Release()
        {
            if (_held.WrittenCount == 0)
            {
                return;
            }

            inner.Write(state.Rewrite(_held.WrittenSpan) ?? _held.WrittenSpan);
            if (_held.Capacity > KeptCapacity)
            {
                _held = new ArrayBufferWriter<byte>(256);
            }
            else
            {
                _held.ResetWrittenCount();
            }
        }
    }
}
