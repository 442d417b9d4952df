using System.Text.Json;

namespace Switchyard.Providers;

/// <summary>
/// Replaces the top-level <c>model</c> value of a JSON request body without touching any other byte, so a
/// passthrough stays byte-faithful.
/// </summary>
public static class JsonModelRewriter
{
    /// <summary>The body with <c>model</c> set to <paramref name="model"/>; the same bytes when it already is.</summary>
    public static ReadOnlyMemory<byte> Rewrite(ReadOnlyMemory<byte> body, string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var reader = new Utf8JsonReader(body.Span, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return body;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isModel = reader.ValueTextEquals("model"u8);
            reader.Read();
            if (isModel && reader.TokenType == JsonTokenType.String)
            {
                if (reader.ValueTextEquals(model))
                {
                    return body;
                }

                var start = (int)reader.TokenStartIndex;
                var end = (int)reader.BytesConsumed;
                var replacement = JsonEncodedText.Encode(model);
                var buffer = new byte[start + replacement.EncodedUtf8Bytes.Length + 2 + (body.Length - end)];
                body.Span[..start].CopyTo(buffer);
                buffer[start] = (byte)'"';
                replacement.EncodedUtf8Bytes.CopyTo(buffer.AsSpan(start + 1));
                buffer[start + 1 + replacement.EncodedUtf8Bytes.Length] = (byte)'"';
                body.Span[end..].CopyTo(buffer.AsSpan(start + 2 + replacement.EncodedUtf8Bytes.Length));
                return buffer;
            }

            reader.Skip();
        }

        return body;
    }
}
