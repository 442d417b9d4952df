using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Switchyard.Tests.Tokenization;

/// <summary>Locates the repository, the golden data and the Claude Code fixtures (tests/fixtures/claude-code).</summary>
internal static class TokenizerTestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string GoldenDir => Path.Combine(RepoRoot, "tests", "golden");

    public static string FixturesDir => Path.GetFullPath(Path.Combine(RepoRoot, "tests", "fixtures", "claude-code"));

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Switchyard.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Switchyard.sln not found above " + AppContext.BaseDirectory);
    }

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>
/// Extracts every string of a Claude Code fixture's <c>body</c> exactly like tests/golden/generate.mjs:
/// depth-first in document order; values under "input_schema" and "input" become JSON.stringify(value).
/// </summary>
internal static class FixtureText
{
    public static List<(string Path, string Text)> Extract(string fixtureFile)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(fixtureFile));
        var output = new List<(string, string)>();
        Walk(doc.RootElement.GetProperty("body"), "body", output);
        return output;
    }

    public static string FullText(string fixtureFile) => string.Join("\n", Extract(fixtureFile).Select(x => x.Text));

    private static void Walk(JsonElement e, string path, List<(string, string)> output)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                output.Add((path, e.GetString()!));
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    Walk(item, $"{path}[{i++}]", output);
                }

                break;
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    if (p.Name is "input_schema" or "input")
                    {
                        output.Add(($"{path}.{p.Name}", JsStringify(p.Value)));
                    }
                    else
                    {
                        Walk(p.Value, $"{path}.{p.Name}", output);
                    }
                }

                break;
            default:
                break;
        }
    }

    /// <summary>JSON.stringify(value) for values parsed from JSON (integers and plain decimals kept as written).</summary>
    public static string JsStringify(JsonElement e)
    {
        var sb = new StringBuilder();
        Write(e, sb);
        return sb.ToString();
    }

    private static void Write(JsonElement e, StringBuilder sb)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{');
                var first = true;
                foreach (var p in e.EnumerateObject())
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    WriteString(p.Name, sb);
                    sb.Append(':');
                    Write(p.Value, sb);
                }

                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var firstItem = true;
                foreach (var item in e.EnumerateArray())
                {
                    if (!firstItem)
                    {
                        sb.Append(',');
                    }

                    firstItem = false;
                    Write(item, sb);
                }

                sb.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(e.GetString()!, sb);
                break;
            case JsonValueKind.Number:
                sb.Append(e.GetRawText());
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            default:
                sb.Append("null");
                break;
        }
    }

    private static void WriteString(string s, StringBuilder sb)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    var loneSurrogate = char.IsSurrogate(c)
                        && !(char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                        && !(char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(s[i - 1]));
                    if (c < 0x20 || loneSurrogate)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4"));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
