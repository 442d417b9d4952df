using System.Buffers.Text;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Switchyard.Translation;

/// <summary>What a thinking block's signature says about the block.</summary>
public enum SignatureCheck
{
    /// <summary>Switchyard signed exactly this text.</summary>
    Verified,
    /// <summary>Switchyard signed an omitted-display block; the reasoning was recovered from the signature.</summary>
    Recovered,
    /// <summary>Not a Switchyard signature (another gateway, Anthropic itself, or a test value).</summary>
    Foreign,
    /// <summary>A Switchyard signature that does not match the text: the block was modified.</summary>
    Tampered,
}

/// <summary>
/// Signs the thinking blocks Switchyard returns, so it can recognise them when clients send them back.
/// A signature is <c>sy1.</c> + base64url(HMAC-SHA256(key, thinking)). When the client asked for
/// <c>display:"omitted"</c> the block's text is empty, so the signature (<c>sy1o.</c>) also carries the
/// compressed reasoning: DeepSeek needs it replayed on tool-call turns and it would otherwise be lost.
/// </summary>
public sealed class ThinkingSignature
{
    private const string Prefix = "sy1.";
    private const string OmittedPrefix = "sy1o.";
    private readonly byte[] _key;

    /// <summary>Creates a signer with a secret key (at least 16 bytes).</summary>
    public ThinkingSignature(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 16)
        {
            throw new ArgumentException("The signing key must be at least 16 bytes.", nameof(key));
        }

        _key = key;
    }

    /// <summary>Signs visible reasoning.</summary>
    public string Sign(string thinking)
    {
        ArgumentNullException.ThrowIfNull(thinking);
        return Prefix + Base64Url.EncodeToString(Mac(thinking));
    }

    /// <summary>Signs reasoning that is not shown, embedding it so it can be replayed later.</summary>
    public string SignOmitted(string reasoning)
    {
        ArgumentNullException.ThrowIfNull(reasoning);
        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            deflate.Write(Encoding.UTF8.GetBytes(reasoning));
        }

        return OmittedPrefix + Base64Url.EncodeToString(buffer.ToArray()) + "." + Base64Url.EncodeToString(Mac(reasoning));
    }

    /// <summary>
    /// Checks a block sent back by a client. <paramref name="reasoning"/> is the text to replay upstream: the
    /// recovered reasoning for omitted blocks, otherwise the block's own text.
    /// </summary>
    public SignatureCheck Verify(string thinking, string signature, out string reasoning)
    {
        ArgumentNullException.ThrowIfNull(thinking);
        ArgumentNullException.ThrowIfNull(signature);
        reasoning = thinking;
        if (signature.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return Matches(signature.AsSpan(Prefix.Length), thinking) ? SignatureCheck.Verified : SignatureCheck.Tampered;
        }

        if (!signature.StartsWith(OmittedPrefix, StringComparison.Ordinal))
        {
            return SignatureCheck.Foreign;
        }

        var body = signature.AsSpan(OmittedPrefix.Length);
        var dot = body.IndexOf('.');
        if (dot < 0 || !TryInflate(body[..dot], out var recovered) || !Matches(body[(dot + 1)..], recovered))
        {
            return SignatureCheck.Tampered;
        }

        reasoning = recovered;
        return SignatureCheck.Recovered;
    }

    private byte[] Mac(string text) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text));

    private bool Matches(ReadOnlySpan<char> encodedMac, string text)
    {
        // The signature comes from the client: TryDecodeFromChars reports a short buffer by returning false, but
        // characters outside base64url (or non-zero trailing bits) by throwing.
        if (!Base64Url.IsValid(encodedMac, out var length) || length != 32)
        {
            return false;
        }

        Span<byte> given = stackalloc byte[32];
        try
        {
            return Base64Url.TryDecodeFromChars(encodedMac, given, out var written) && written == 32 &&
                   CryptographicOperations.FixedTimeEquals(given, Mac(text));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool TryInflate(ReadOnlySpan<char> encoded, out string text)
    {
        text = string.Empty;
        try
        {
            var compressed = Base64Url.DecodeFromChars(encoded);
            using var input = new DeflateStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            text = Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}
