using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace Switchyard.Cli;

/// <summary>
/// The command line: <c>switchyard [command] [options] [--Section:Key=value …]</c>. Without a command it serves.
/// Every command reads the same configuration as the server; settings given as <c>--Section:Key=value</c> (or
/// <c>--Section:Key value</c>) apply to any command.
/// </summary>
public static class SwitchyardCli
{
    /// <summary>Parses <paramref name="args"/>, runs the command and returns the process exit code (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole? console = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        console ??= new CliConsole();
        var (settings, commandLine) = SplitSettings(args);
        var context = new CliContext(console, settings);
        var root = Build(context);
        var parse = root.Parse(commandLine);
        // The host handles SIGTERM and Ctrl+C itself, draining in-flight requests (Switchyard:DrainTimeout); the
        // parser's own handler would cancel the command and end the process after a fixed grace period.
        var invocation = new InvocationConfiguration { Output = console.Out, Error = console.Error, ProcessTerminationTimeout = null };
        if (parse.Action is ParseErrorAction error)
        {
            // The errors (with "did you mean" corrections) on stderr, then a usage exit code rather than the parser's 1.
            error.ShowHelp = false;
            error.ShowTypoCorrections = false;
            await parse.InvokeAsync(invocation, cancellationToken);
            await console.Error.WriteLineAsync("Run 'switchyard --help' for the commands and options.");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>The root command and every subcommand.</summary>
    internal static RootCommand Build(CliContext context)
    {
        var root = new RootCommand(
            "Switchyard: a self-hosted LLM API gateway (Anthropic Messages and OpenAI Chat Completions on DeepSeek and other upstreams).\n" +
            "Without a command, serves (like 'switchyard serve').\n\n" +
            "Configuration, the same for the server and every command: appsettings.json in the content root, then environment\n" +
            "variables (DEEPSEEK_API_KEY, Switchyard__Upstream__BaseUrl…), then the command line (--Switchyard:Section:Key=value).\n" +
            "'switchyard config' shows what is in effect and where each value came from.\n\n" +
            ExitCodes.Help);
        root.Add(context.Urls);
        root.Add(context.ContentRoot);
        root.Add(ServeCommand.Create(context));
        root.Add(KeysCommand.Create(context));
        root.Add(UsageCommand.Create(context));
        root.Add(RoutesCommand.Create(context));
        root.Add(CheckCommand.Create(context));
        root.Add(ConfigCommand.Create(context));
        root.Add(ClaudeEnvCommand.Create(context));
        root.Add(CodexEnvCommand.Create(context));
        root.SetAction((parse, ct) => ServeCommand.RunAsync(context, parse));
        root.Options.OfType<VersionOption>().Single().Action = new PrintVersion();
        return root;
    }

    /// <summary>The version of this build (the default would name the entry assembly, which is not Switchyard under a test host).</summary>
    public static string Version { get; } =
        typeof(SwitchyardCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(SwitchyardCli).Assembly.GetName().Version?.ToString() ?? "unknown";

    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Version);
            return ExitCodes.Ok;
        }
    }

    /// <summary>
    /// Splits configuration settings (<c>--Section:Key=value</c>, <c>--Section:Key value</c>: a name with a colon, or an
    /// environment-style name such as <c>--DEEPSEEK_API_KEY=…</c>) from the command line proper, which
    /// System.CommandLine parses.
    /// </summary>
    internal static (IReadOnlyList<string> Settings, string[] CommandLine) SplitSettings(IReadOnlyList<string> args)
    {
        var settings = new List<string>();
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var token = args[i];
            var name = token.Split('=', 2)[0];
            if (token.StartsWith("--", StringComparison.Ordinal) && (name.Contains(':', StringComparison.Ordinal) || IsVariableName(name[2..])))
            {
                if (token.Contains('=', StringComparison.Ordinal))
                {
                    settings.Add(token);
                }
                else if (i + 1 < args.Count)
                {
                    settings.Add(token + "=" + args[++i]);
                }
                else
                {
                    rest.Add(token);
                }

                continue;
            }

            rest.Add(token);
        }

        return (settings, [.. rest]);
    }

    private static bool IsVariableName(string name) =>
        name.Contains('_', StringComparison.Ordinal) && name.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_');
}
