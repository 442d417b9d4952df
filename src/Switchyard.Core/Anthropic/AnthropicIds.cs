using System.Security.Cryptography;

namespace Switchyard.Anthropic;

/// <summary>Ids in the Messages API's style: a prefix and 24 base62 characters.</summary>
public static class AnthropicIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>A new <c>msg_…</c> id.</summary>
    public static string NewMessageId() => "msg_" + Random(24);

    /// <summary>A new <c>toolu_…</c> id, for tool calls that arrive without one.</summary>
    public static string NewToolUseId() => "toolu_" + Random(24);

    /// <summary>A new <c>req_…</c> id.</summary>
    public static string NewRequestId() => "req_" + Random(24);

    // One call into the system's random source per id (RandomNumberGenerator.GetString asks it once per character).
    // Bytes of 248 and above are skipped so that every character is equally likely (248 = 4 × 62).
    private static string Random(int length) => string.Create(length, 0, static (chars, _) =>
    {
        Span<byte> bytes = stackalloc byte[64];
        var filled = 0;
        while (filled < chars.Length)
        {
            RandomNumberGenerator.Fill(bytes);
            foreach (var b in bytes)
            {
                if (b < 248)
                {
                    chars[filled++] = Alphabet[b % 62];
                    if (filled == chars.Length)
                    {
                        return;
                    }
                }
            }
        }
    });
}
