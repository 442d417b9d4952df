using System.Buffers;
using System.Text.Json;
using Switchyard.Errors;

namespace Switchyard.Endpoints;

/// <summary>A request body read within the size limit: its bytes (for passthrough) and its parsed JSON.</summary>
internal sealed class RequestBody : IDisposable
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 128 };
    private byte[]? _buffer;

    private RequestBody(byte[] buffer, int length, JsonDocument document)
    {
        _buffer = buffer;
        Bytes = buffer.AsMemory(0, length);
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

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(declared ?? 16 * 1024, 1024, limit + 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        throw TooLarge(limit);
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await context.Request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limit)
                {
                    throw TooLarge(limit);
                }
            }

            var bytes = buffer.AsMemory(0, length);
            EnsureValidText(bytes.Span);
            context.GetRequestLog()?.RetainBody(bytes.Span);
            return new RequestBody(buffer, length, JsonDocument.Parse(bytes, Options));
        }
        catch (Exception exception)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw exception switch
            {
                JsonException or ArgumentException => GatewayException.Invalid($"The request body is not valid JSON: {exception.Message}"),
                BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => TooLarge(limit),
                _ => exception,
            };
        }
    }

    /// <summary>
    /// JsonDocument accepts invalid UTF-8 and escaped lone surrogates and fails only when a string is read, deep
    /// inside translation: reject them up front as the client's mistake.
    /// </summary>
    private static void EnsureValidText(ReadOnlySpan<byte> json)
    {
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw GatewayException.Invalid("The request body is not valid UTF-8.");
        }

        if (json.IndexOf("\\ud"u8) < 0 && json.IndexOf("\\uD"u8) < 0)
        {
            return;
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = Options.MaxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }
            }
        }
        catch (InvalidOperationException)
        {
            throw GatewayException.Invalid("The request body contains a string with an unpaired UTF-16 surrogate escape.");
        }
        catch (JsonException)
        {
            // Reported with its position by the parser.
        }
    }

    public void Dispose()
    {
        Document.Dispose();
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }

    private static GatewayException TooLarge(long limit) =>
        new(GatewayErrorKind.RequestTooLarge, $"The request body exceeds the limit of {limit} bytes.");
}
