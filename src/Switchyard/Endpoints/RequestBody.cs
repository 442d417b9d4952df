using System.Buffers;
using System.Text.Json;
using Switchyard.Errors;

namespace Switchyard.Endpoints;

/// <summary>A request body read within the size limit: its bytes (for passthrough) and its parsed JSON.</summary>
/// <remarks>
/// Bodies larger than a small pooled array are never kept in <see cref="ArrayPool{T}.Shared"/>: it keeps every array
/// returned to it, and sixteen chunked 50 MB uploads once left 1.3 GB of its arrays resident for good. They are
/// gathered in native memory that goes back to the operating system when the request is refused (over the limit, not
/// UTF-8, not JSON), and copied into an array of their exact length only when they are to be served.
/// </remarks>
internal sealed class RequestBody : IDisposable
{
    /// <summary>
    /// The one nesting limit for request bodies, checked here when the body is read. It is System.Text.Json's default,
    /// so no later parse of the same body (JsonNode, JsonSerializer) can fail where this one passed.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>Bodies of declared length up to this size are read into a pooled array.</summary>
    private const int SegmentSize = 64 * 1024;

    /// <summary>Bodies above this size are not indexed with pooled arrays for long (see <see cref="Dispose"/>).</summary>
    private const int LargeBody = 1024 * 1024;

    /// <summary>The pooled array that bodies of unknown length are read through.</summary>
    private const int ChunkSize = 16 * 1024;

    /// <summary>
    /// Duplicate keys are refused: which of two values a parser picks differs between parsers (and between
    /// Switchyard and its upstreams), so such a body has no one meaning.
    /// </summary>
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    private byte[]? _pooled;

    private RequestBody(byte[]? pooled, ReadOnlyMemory<byte> bytes, JsonDocument document)
    {
        _pooled = pooled;
        Bytes = bytes;
        Document = document;
    }

    /// <summary>The raw body.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The parsed body (its elements point into <see cref="Bytes"/>).</summary>
    public JsonDocument Document { get; }

    public static async Task<RequestBody> ReadAsync(HttpContext context, long limit)
    {
        var declared = context.Request.ContentLength;
        if (declared > limit)
        {
            throw TooLarge(limit);
        }

        byte[]? pooled = null;
        try
        {
            ReadOnlyMemory<byte> bytes;
            if (declared > SegmentSize)
            {
                bytes = await ReadLargeAsync(context, ReadOnlyMemory<byte>.Empty, declared.Value, limit);
            }
            else
            {
                pooled = ArrayPool<byte>.Shared.Rent((int)Math.Max(declared ?? ChunkSize, 1));
                var length = await FillAsync(context, pooled);
                bytes = pooled.AsMemory(0, length);
                if (declared is null && length == pooled.Length)
                {
                    bytes = await ReadLargeAsync(context, pooled, limit + 1, limit);
                    ArrayPool<byte>.Shared.Return(pooled);
                    pooled = null;
                }
                else
                {
                    EnsureValidText(bytes.Span);
                }
            }

            context.GetRequestLog()?.RetainBody(bytes.Span);
            return new RequestBody(pooled, bytes, JsonDocument.Parse(bytes, Options));
        }
        catch (Exception exception)
        {
            if (pooled is not null)
            {
                ArrayPool<byte>.Shared.Return(pooled);
            }

            throw exception switch
            {
                JsonException or ArgumentException => GatewayException.Invalid($"The request body is not valid JSON: {exception.Message}"),
                BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => TooLarge(limit),
                _ => exception,
            };
        }
    }

    /// <summary>Reads into <paramref name="buffer"/> until it is full or the body ends; returns the bytes read.</summary>
    private static async Task<int> FillAsync(HttpContext context, Memory<byte> buffer)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await context.Request.Body.ReadAsync(buffer[filled..], context.RequestAborted);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    /// <summary>
    /// A body larger than a pooled array: gathered (after the bytes already read, <paramref name="first"/>) in native
    /// memory with room for <paramref name="capacity"/> bytes, checked there, and copied into an array of its exact
    /// length only when it is within the limit and readable JSON text.
    /// </summary>
    private static async Task<ReadOnlyMemory<byte>> ReadLargeAsync(HttpContext context, ReadOnlyMemory<byte> first, long capacity, long limit)
    {
        using var gathered = NativeBodyBuffer.Allocate(capacity);
        first.CopyTo(gathered.Free);
        gathered.Advance(first.Length);
        gathered.Advance(await FillAsync(context, gathered.Free));

        if (gathered.Length > limit)
        {
            throw TooLarge(limit);
        }

        EnsureValidText(gathered.Written);
        return gathered.Written.ToArray();
    }

    /// <summary>
    /// JsonDocument accepts invalid UTF-8 and escaped lone surrogates and fails only when a string is read, deep
    /// inside translation: reject them up front as the client's mistake. A large body is also read through once, so
    /// that whatever would make <see cref="JsonDocument"/> fail (syntax, depth, a duplicate key) is found before it
    /// rents its index: a failed parse returns the index to the shared pool, which keeps it (see <see cref="Dispose"/>).
    /// </summary>
    private static void EnsureValidText(ReadOnlySpan<byte> json)
    {
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw GatewayException.Invalid("The request body is not valid UTF-8.");
        }

        var surrogates = json.IndexOf("\\ud"u8) >= 0 || json.IndexOf("\\uD"u8) >= 0;
        var large = json.Length > LargeBody;
        if (!surrogates && !large)
        {
            return;
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        var names = large ? new Stack<HashSet<string>>() : null;
        try
        {
            while (reader.Read())
            {
                if (surrogates && reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }

                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        names?.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.EndObject:
                        names?.Pop();
                        break;
                    case JsonTokenType.PropertyName when names is not null && !names.Peek().Add(reader.GetString()!):
                        throw GatewayException.Invalid($"The request body is not valid JSON: duplicate property '{reader.GetString()}' at byte {reader.TokenStartIndex}.");
                }
            }
        }
        catch (InvalidOperationException)
        {
            throw GatewayException.Invalid("The request body contains a string with an unpaired UTF-16 surrogate escape.");
        }
    }

    /// <summary>
    /// Returns the small pooled buffer. The document's index (rented from <see cref="ArrayPool{T}.Shared"/>, about the
    /// size of the body) goes back to the pool only for ordinary bodies: the pool would keep a large body's index for
    /// good, so it is left to the garbage collector instead.
    /// </summary>
    public void Dispose()
    {
        if (Bytes.Length <= LargeBody)
        {
            Document.Dispose();
        }

        if (_pooled is not null)
        {
            ArrayPool<byte>.Shared.Return(_pooled);
            _pooled = null;
        }
    }

    private static GatewayException TooLarge(long limit) =>
        new(GatewayErrorKind.RequestTooLarge, $"The request body exceeds the limit of {limit} bytes.");
}
