using System.CommandLine;
using System.Text;
using Switchyard.Models;

namespace Switchyard.Cli;

/// <summary>
/// What the <c>*-env</c> commands share (<c>claude-env</c>, <c>codex-env</c>): the <c>--url</c>, <c>--key</c> and
/// <c>--shell</c> options, Switchyard's URL as a client reaches it, and <c>export</c> lines quoted for the chosen shell.
/// </summary>
internal sealed class ClientEnvironment
{
    public const string KeyPlaceholder = "sk-sy-REPLACE-WITH-YOUR-KEY";

    private readonly StringBuilder _text = new();

    private ClientEnvironment(string shell) => Shell = shell;

    public static Option<string?> UrlOption(string client) => new("--url")
    {
        Description = $"Switchyard's URL as {client} reaches it (default: from --urls / ASPNETCORE_URLS, else http://127.0.0.1:8080).",
    };

    public static Option<string?> KeyOption() => new("--key") { Description = "A client key to export (default: a placeholder)." };

    public static Option<string> ShellOption()
    {
        var shell = new Option<string>("--shell") { Description = "Syntax of the lines: bash (also zsh) or powershell.", DefaultValueFactory = _ => "bash" };
        shell.AcceptOnlyFromAmong("bash", "powershell");
        return shell;
    }

    public string Shell { get; }

    public static ClientEnvironment For(string shell) => new(shell);

    /// <summary>Switchyard's base URL, without a trailing slash: <paramref name="url"/>, else the first listening URL.</summary>
    public static string BaseUrl(string? url, IConfiguration configuration) => (url ?? ClientUrl(configuration["urls"])).TrimEnd('/');

    /// <summary>The first listening URL as a client reaches it (wildcard hosts become 127.0.0.1).</summary>
    internal static string ClientUrl(string? urls)
    {
        var first = (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (string.IsNullOrEmpty(first))
        {
            return "http://127.0.0.1:8080";
        }

        foreach (var wildcard in new[] { "://*", "://+", "://0.0.0.0", "://[::]" })
        {
            first = first.Replace(wildcard, "://127.0.0.1", StringComparison.Ordinal);
        }

        return first;
    }

    public ClientEnvironment Comment(string line)
    {
        _text.Append("# ").Append(line).Append('\n');
        return this;
    }

    public ClientEnvironment Export(string name, string value)
    {
        _text.Append(Shell == "powershell"
            ? $"$env:{name}=\"{value.Replace("`", "``", StringComparison.Ordinal).Replace("\"", "`\"", StringComparison.Ordinal).Replace("$", "`$", StringComparison.Ordinal)}\""
            : $"export {name}='{value.Replace("'", "'\\''", StringComparison.Ordinal)}'").Append('\n');
        return this;
    }

    /// <summary>
    /// Exports the client key as <paramref name="name"/>: <paramref name="secret"/> when given, otherwise a placeholder
    /// with how to create a key (named <paramref name="keyName"/>).
    /// </summary>
    public ClientEnvironment ExportKey(string name, string? secret, string keyName)
    {
        if (secret is { Length: > 0 })
        {
            return Export(name, secret);
        }

        return Comment($"A client key: create one with `switchyard keys create --name {keyName}` and put its secret here.")
            .Comment("(While no key exists, Switchyard runs in open mode on loopback and accepts any token.)")
            .Export(name, KeyPlaceholder);
    }

    /// <summary>The catalog's strongest model for a client's main work (DeepSeek's "pro"), or its first.</summary>
    public static ModelEntry Strongest(ModelCatalog catalog) =>
        catalog.Models.FirstOrDefault(m => m.Id.Contains("pro", StringComparison.OrdinalIgnoreCase)) ?? catalog.Models[0];

    /// <summary>How to apply the lines in this shell.</summary>
    public string ApplyHint(string command) => Shell == "powershell"
        ? $"PowerShell: switchyard {command} --shell powershell | Out-String | Invoke-Expression"
        : $"bash/zsh: eval \"$(switchyard {command})\"";

    public override string ToString() => _text.ToString();
}
