using System.CommandLine;
using System.Text;
using System.Text.Json;
using Switchyard.Tokenization;
using Switchyard.Hosting;
using Switchyard.Models;
using Switchyard.Providers;
using Switchyard.Translation;

namespace Switchyard.Cli;

/// <summary>
/// Commands for people who point clients at Switchyard: <c>switchyard check request.json</c> (or <c>-</c> for stdin)
/// explains what Switchyard will do with every part of an Anthropic request and exits non-zero when it would be
/// rejected; <c>switchyard claude-env</c> prints the environment that points Claude Code at this Switchyard.
/// </summary>
public static class ClientCommands
{
    /// <summary>The top-level command names handled here.</summary>
    public static IReadOnlyList<string> CommandNames { get; } = ["check", "claude-env"];

    /// <summary>Whether <paramref name="args"/> asks for one of these commands.</summary>
    public static bool IsClientCommand(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Length > 0 && CommandNames.Contains(args[0], StringComparer.Ordinal);
    }

    /// <summary>
    /// Runs a command with the server's configuration (appsettings.json, environment, <c>--Switchyard:…=value</c>).
    /// Exit codes of <c>check</c>: 0 served, 1 rejected, 2 unreadable input or invalid configuration.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextReader? input = null,
        IReadOnlyDictionary<string, string?>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        output ??= Console.Out;
        input ??= Console.In;
        var configArgs = args.Where(IsConfigArgument).ToArray();
        var commandArgs = args.Where(a => !IsConfigArgument(a)).ToArray();
        var configuration = CliSupport.Configuration(configArgs, overrides);

        var root = new RootCommand("Switchyard client commands");
        root.Add(CheckCommand(configArgs, overrides, output, input));
        root.Add(ClaudeEnvCommand(configuration, output));
        var invocation = new InvocationConfiguration { Output = output, Error = output };
        return await root.Parse(commandArgs).InvokeAsync(invocation);
    }

    private static Command CheckCommand(string[] configArgs, IReadOnlyDictionary<string, string?>? overrides, TextWriter output, TextReader input)
    {
        var file = new Argument<string>("request") { Description = "An Anthropic Messages request: a JSON body, or a captured {method,url,headers,body}; '-' reads stdin." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var check = new Command("check", "Explain what Switchyard will do with each field, header, content block and tool of a request.") { file, json };
        check.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (await CliSupport.ReadJsonAsync(path, input, output, "switchyard check", ct) is not { } document)
            {
                return 2;
            }

            using (document)
            {
                WebApplication app;
                try
                {
                    var settings = new Dictionary<string, string?>(overrides ?? new Dictionary<string, string?>()) { ["urls"] = "http://127.0.0.1:0" };
                    app = SwitchyardApp.Build(configArgs, settings);
                }
                catch (InvalidOperationException exception)
                {
                    await output.WriteLineAsync($"switchyard: invalid configuration: {exception.Message}");
                    return 2;
                }

                await using (app)
                {
                    var services = app.Services;
                    var checker = new RequestChecker(services.GetRequiredService<ModelCatalog>(), services.GetRequiredService<ProviderRegistry>(),
                        services.GetRequiredService<RequestTranslator>(), services.GetRequiredService<SwitchyardOptions>().Translation);
                    var report = checker.Check(document.RootElement);
                    await output.WriteAsync(parse.GetValue(json) ? RenderJson(report) : Render(report));
                    return report.Rejected ? 1 : 0;
                }
            }
        });
        return check;
    }

    private static Command ClaudeEnvCommand(IConfiguration configuration, TextWriter output)
    {
        var url = new Option<string?>("--url") { Description = "Switchyard's URL as Claude Code reaches it (default: from --urls / ASPNETCORE_URLS, else http://127.0.0.1:8080)." };
        var key = new Option<string?>("--key") { Description = "A client key to put in ANTHROPIC_AUTH_TOKEN (default: a placeholder)." };
        var command = new Command("claude-env", "Print the environment variables that point Claude Code at this Switchyard.") { url, key };
        command.SetAction(async (parse, ct) =>
        {
            SwitchyardOptions options;
            try
            {
                options = ConfigurationLoader.Load(configuration);
            }
            catch (InvalidOperationException exception)
            {
                await output.WriteLineAsync($"switchyard: invalid configuration: {exception.Message}");
                return 2;
            }

            var baseUrl = (parse.GetValue(url) ?? ClientUrl(configuration["urls"])).TrimEnd('/');
            var catalog = new ModelCatalog(options.Models);
            var text = new StringBuilder();
            text.Append("# Point Claude Code at Switchyard (bash/zsh: eval \"$(switchyard claude-env)\").\n");
            text.Append("export ANTHROPIC_BASE_URL=").Append(Quote(baseUrl + "/anthropic")).Append('\n');
            if (parse.GetValue(key) is { Length: > 0 } secret)
            {
                text.Append("export ANTHROPIC_AUTH_TOKEN=").Append(Quote(secret)).Append('\n');
            }
            else
            {
                text.Append("# A client key: create one with `switchyard keys create --name claude-code` and put its secret here.\n");
                text.Append("# (While no key exists, Switchyard runs in open mode on loopback and accepts any token.)\n");
                text.Append("export ANTHROPIC_AUTH_TOKEN=").Append(Quote("sk-sy-REPLACE-WITH-YOUR-KEY")).Append('\n');
            }

            text.Append("export CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1\n");
            text.Append("# DeepSeek may queue a request for up to 10 minutes.\n");
            text.Append("export API_TIMEOUT_MS=600000\n");
            text.Append("# Models: Claude Code's own names work as they are:\n");
            foreach (var alias in catalog.Aliases)
            {
                text.Append("#   ").Append(alias.Pattern).Append(" → ").Append(alias.Target)
                    .Append(alias.Thinking switch { true => " (thinking on)", false => " (thinking off)", _ => string.Empty }).Append('\n');
            }

            text.Append("# Or name a model directly (served: ").Append(string.Join(", ", catalog.Models.Select(m => m.Id))).Append("):\n");
            var strongest = catalog.Models.FirstOrDefault(m => m.Id.Contains("pro", StringComparison.OrdinalIgnoreCase)) ?? catalog.Models[0];
            var fastest = catalog.Models.FirstOrDefault(m => m.Id.Contains("flash", StringComparison.OrdinalIgnoreCase)) ?? catalog.Models[0];
            text.Append("# export ANTHROPIC_MODEL=").Append(strongest.Id).Append('\n');
            text.Append("# export ANTHROPIC_DEFAULT_HAIKU_MODEL=").Append(fastest.Id).Append('\n');
            await output.WriteAsync(text.ToString());
            return 0;
        });
        return command;
    }

    /// <summary>The first listening URL as a client reaches it (wildcard hosts become 127.0.0.1).</summary>
    internal static string ClientUrl(string? urls)
    {
        var first = (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (string.IsNullOrEmpty(first))
        {
            return "http://127.0.0.1:8080";
        }

        first = first.Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal);
        return first;
    }

    internal static string Render(CheckReport report)
    {
        var text = new StringBuilder();
        var width = Math.Min(48, report.Findings.Select(f => f.Path.Length).DefaultIfEmpty(0).Max());
        foreach (var finding in report.Findings)
        {
            text.Append(Label(finding.Action).PadRight(8)).Append(finding.Path.PadRight(width)).Append("  ")
                .Append(finding.What).Append(": ").Append(finding.Why).Append('\n');
        }

        text.Append('\n');
        if (report.Rejected)
        {
            var rejected = report.Findings.Where(f => f.Action == CheckAction.Reject).ToList();
            text.Append("RESULT: rejected").Append('\n');
            foreach (var finding in rejected)
            {
                text.Append("  ").Append(finding.Path).Append(" (").Append(finding.What).Append(')').Append('\n');
            }

            if (report.Rejection is { } rejection)
            {
                text.Append("  Switchyard answers: ").Append(rejection).Append('\n');
            }
        }
        else
        {
            text.Append("RESULT: served").Append('\n');
            foreach (var line in report.Upstream)
            {
                text.Append("  upstream: ").Append(line).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string RenderJson(CheckReport report)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("result", report.Rejected ? "rejected" : "served");
            if (report.Rejection is { } rejection)
            {
                writer.WriteString("error", rejection);
            }

            writer.WriteStartArray("findings");
            foreach (var finding in report.Findings)
            {
                writer.WriteStartObject();
                writer.WriteString("action", Label(finding.Action).ToLowerInvariant());
                writer.WriteString("path", finding.Path);
                writer.WriteString("what", finding.What);
                writer.WriteString("why", finding.Why);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("upstream");
            foreach (var line in report.Upstream)
            {
                writer.WriteStringValue(line);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string Label(CheckAction action) => action switch
    {
        CheckAction.Honour => "HONOUR",
        CheckAction.Ignore => "IGNORE",
        CheckAction.Drop => "DROP",
        CheckAction.Route => "ROUTE",
        CheckAction.Forward => "FORWARD",
        _ => "REJECT",
    };

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static bool IsConfigArgument(string arg) =>
        arg.StartsWith("--Switchyard:", StringComparison.OrdinalIgnoreCase) ||
        arg.StartsWith("--SWITCHYARD_", StringComparison.Ordinal) ||
        arg.StartsWith("--DEEPSEEK_", StringComparison.Ordinal) ||
        arg.StartsWith("--Logging:", StringComparison.OrdinalIgnoreCase) ||
        arg.StartsWith("--urls", StringComparison.OrdinalIgnoreCase);
}
