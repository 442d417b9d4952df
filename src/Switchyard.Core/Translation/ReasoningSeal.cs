using System.Buffers.Text;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Switchyard.Translation;

/// <summary>
/// Seals reasoning for clients that keep no server state (Codex sends <c>store:false</c> and asks for
/// <c>reasoning.encrypted_content</c>): the reasoning travels with the client, encrypted and authenticated, and comes
/// back on the next turn, when DeepSeek needs it replayed. A seal is <c>sy1r.</c> + base64url(nonce ‖ ciphertext ‖ tag)
/// of the deflated text, AES-256-GCM under a key derived (HKDF-SHA256) from the gateway's signing key, so every replica
/// with the same key opens what another sealed, and nobody without it can read or forge one.
/// </summary>
public sealed class ReasoningSeal
{
    private const string Prefix = "sy1r.";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Purpose = Encoding.ASCII.GetBytes("switchyard reasoning seal v1");
    private readonly byte[] _key;

    /// <summary>Creates a seal from the gateway's signing key (at least 16 bytes).</summary>
    public ReasoningSeal(byte[] signingKey)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        if (signingKey.Length < 16)
        {
            throw new ArgumentException("The signing key must be at least 16 bytes.", nameof(signingKey));
        }

        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, signingKey, 32, salt: null, info: Purpose);
    }

    /// <summary>Seals <paramref name="reasoning"/>.</summary>
    public string Seal(string reasoning)
    {
        ArgumentNullException.ThrowIfNull(reasoning);
        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            deflate.Write(Encoding.UTF8.GetBytes(reasoning));
        }

        var plain = buffer.ToArray();
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length));
        return Prefix + Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>Opens a seal; false when it is not Switchyard's, or was made with another key, or was altered.</summary>
    public bool TryOpen(string sealedText, out string reasoning)
    {
        ArgumentNullException.ThrowIfNull(sealedText);
        reasoning = string.Empty;
        if (!sealedText.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(sealedText.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }

        if (bytes.Length < NonceSize + TagSize)
        {
            return false;
        }

        var cipher = bytes.AsSpan(NonceSize, bytes.Length - NonceSize - TagSize);
        var plain = new byte[cipher.Length];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(bytes.AsSpan(0, NonceSize), cipher, bytes.AsSpan(bytes.Length - TagSize), plain);
            using var input = new DeflateStream(new MemoryStream(plain), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            reasoning = Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length);
            return true;
        }
        catch (Exception exception) when (exception is AuthenticationTagMismatchException or CryptographicException or InvalidDataException)
        {
            return false;
        }
    }
}
