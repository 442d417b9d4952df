using System.Buffers;
using System.Text.Json;
using Switchyard.Errors;

namespace Switchyard.Endpoints;

/// <summary>A request body read within the size limit: its bytes (for passthrough) and its parsed JSON.</summary>
/// <remarks>
/// Bodies larger than a small pooled array are never kept in <see cref="ArrayPool{T}.Shared"/>: it keeps every array
/// returned to it, and sixteen chunked 50 MB uploads once left 1.3 GB of its arrays resident for good. A body of
/// declared length gets an array of exactly that length (ordinary garbage afterwards); a body of unknown length
/// (chunked) is gathered in native memory that goes back to the operating system at once, and copied into an
/// exact array only when it turns out to be within the limit.
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
                var exact = GC.AllocateUninitializedArray<byte>((int)declared.Value);
                bytes = exact.AsMemory(0, await FillAsync(context, exact, 0));
            }
            else
            {
                pooled = ArrayPool<byte>.Shared.Rent((int)Math.Max(declared ?? ChunkSize, 1));
                var length = await FillAsync(context, pooled, 0);
                bytes = pooled.AsMemory(0, length);
                if (declared is null && length == pooled.Length)
                {
                    bytes = await ReadUnknownLengthAsync(context, pooled, limit);
                    ArrayPool<byte>.Shared.Return(pooled);
                    pooled = null;
                }
            }

            EnsureValidText(bytes.Span);
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

    /// <summary>Reads into <paramref name="buffer"/> from <paramref name="offset"/> until it is full or the body ends.</summary>
    private static async Task<int> FillAsync(HttpContext context, byte[] buffer, int offset)
    {
        while (offset < buffer.Length)
        {
            var read = await context.Request.Body.ReadAsync(buffer.AsMemory(offset), context.RequestAborted);
            if (read == 0)
            {
                break;
            }

            offset += read;
        }

        return offset;
    }

    /// <summary>
    /// The rest of a body of unknown length that filled the first chunk (<paramref name="first"/>, reused to read
    /// the rest): gathered in native memory up to the limit, then copied into an array of its exact length.
    /// </summary>
    private static async Task<ReadOnlyMemory<byte>> ReadUnknownLengthAsync(HttpContext context, byte[] first, long limit)
    {
        using var gathered = NativeBodyBuffer.Allocate(limit + 1);
        var segment = first;
        var filled = segment.Length;
        while (filled > 0)
        {
            if (gathered.Length + filled > limit)
            {
                throw TooLarge(limit);
            }

            gathered.Append(segment, filled);
            if (filled < segment.Length)
            {
                break;
            }

            filled = await FillAsync(context, segment, 0);
        }

        var bytes = GC.AllocateUninitializedArray<byte>(gathered.Length);
        gathered.CopyTo(bytes);
        return bytes;
    }

    /// <summary>
    /// JsonDocument accepts invalid UTF-8 and escaped lone surrogates and fails only when a string is read, deep
    /// inside translation: reject them up front as the client's mistake. A large body is also read through once, so
    /// that a syntax error is found before <see cref="JsonDocument"/> rents its index (see <see cref="Dispose"/>).
    /// </summary>
    private static void EnsureValidText(ReadOnlySpan<byte> json)
    {
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw GatewayException.Invalid("The request body is not valid UTF-8.");
        }

        var surrogates = json.IndexOf("\\ud"u8) >= 0 || json.IndexOf("\\uD"u8) >= 0;
        if (!surrogates && json.Length <= LargeBody)
        {
            return;
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            while (reader.Read())
            {
                if (surrogates && reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
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
