using System.Text;

namespace Switchyard.Hosting;

/// <summary>
/// The <c>~/.codex/config.toml</c> block that points the Codex CLI at a Switchyard (what <c>switchyard codex-env</c>
/// prints and the README shows): a model provider with the Responses wire API, web search off (DeepSeek cannot run
/// Codex's built-in <c>web_search</c> tool, which Switchyard would reject), and an idle timeout that outlasts
/// DeepSeek's queue.
/// </summary>
public static class CodexConfig
{
    /// <summary>The environment variable Codex reads the client key from.</summary>
    public const string KeyVariable = "SWITCHYARD_API_KEY";

    /// <summary>The block for a Switchyard at <paramref name="baseUrl"/> (its root, e.g. <c>http://127.0.0.1:8080</c>) serving <paramref name="model"/>.</summary>
    public static string Render(Uri baseUrl, string model)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrEmpty(model);
        var url = baseUrl.ToString().TrimEnd('/') + "/v1";
        return new StringBuilder()
            .Append("# Codex CLI → Switchyard: put this in ~/.codex/config.toml, then\n")
            .Append("#   export ").Append(KeyVariable).Append("=<a Switchyard client key>   # any value in open mode\n")
            .Append("#   codex exec \"…\"\n")
            .Append("model = ").Append(Quote(model)).Append('\n')
            .Append("model_provider = \"switchyard\"\n")
            .Append("# DeepSeek cannot search the web; Switchyard rejects Codex's built-in web_search tool.\n")
            .Append("web_search = \"disabled\"\n")
            .Append('\n')
            .Append("[model_providers.switchyard]\n")
            .Append("name = \"Switchyard\"\n")
            .Append("base_url = ").Append(Quote(url)).Append('\n')
            .Append("env_key = \"").Append(KeyVariable).Append("\"\n")
            .Append("wire_api = \"responses\"\n")
            .Append("# DeepSeek may queue a request for up to 10 minutes before it starts answering.\n")
            .Append("stream_idle_timeout_ms = 600000\n")
            .ToString();
    }

    /// <summary>A TOML basic string.</summary>
    private static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => sb.Append("\\\""),
                '\\' => sb.Append("\\\\"),
                < ' ' => sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
                _ => sb.Append(c),
            };
        }

        return sb.Append('"').ToString();
    }
}
