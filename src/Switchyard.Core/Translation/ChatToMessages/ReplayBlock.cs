using System.Text.Json;

namespace Switchyard.Translation.ChatToMessages;

/// <summary>One Anthropic thinking-type block kept for replay.</summary>
/// <param name="Redacted">True for <c>redacted_thinking</c> (then <paramref name="Text"/> is its opaque <c>data</c>).</param>
/// <param name="Text">The thinking text, or the redacted block's data.</param>
/// <param name="Signature">The thinking block's signature (empty for redacted blocks).</param>
internal readonly record struct ReplayBlock(bool Redacted, string Text, string Signature)
{
    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (Redacted)
        {
            writer.WriteString("type", "redacted_thinking");
            writer.WriteString("data", Text);
        }
        else
        {
            writer.WriteString("type", "thinking");
            writer.WriteString("thinking", Text);
            writer.WriteString("signature", Signature);
        }

        writer.WriteEndObject();
    }
}
