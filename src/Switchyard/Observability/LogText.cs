using System.Globalization;
using System.Text;

namespace Switchyard.Observability;

/// <summary>
/// Makes text that came from a client (model names, paths, error messages that quote them) safe for line-based
/// logs: control characters and line separators are written as escapes, so a CR/LF in a model name cannot start a
/// forged log line.
/// </summary>
internal static class LogText
{
    /// <summary><paramref name="text"/> with control characters escaped (<c>\r</c>, <c>\n</c>, <c>\t</c>, <c>\u001b</c>…).</summary>
    public static string? Escape(string? text)
    {
        if (text is null || !text.AsSpan().ContainsAny(Unsafe))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\r' => escaped.Append("\\r"),
                '\n' => escaped.Append("\\n"),
                '\t' => escaped.Append("\\t"),
                _ when IsUnsafe(c) => escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> Unsafe = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(i => (char)i), .. Enumerable.Range(0x7f, 0x21).Select(i => (char)i), '\u2028', '\u2029']);

    private static bool IsUnsafe(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
