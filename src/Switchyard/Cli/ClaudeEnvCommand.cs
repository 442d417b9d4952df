using System.CommandLine;
using Switchyard.Models;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard claude-env</c>: the environment that points Claude Code at this Switchyard: every variable of
/// DeepSeek's Claude Code guide (base URL, token, the model for each Claude tier and for subagents, the effort level),
/// with this Switchyard's URL and model names, plus the settings Claude Code needs behind a gateway.
/// </summary>
internal static class ClaudeEnvCommand
{
    public static Command Create(CliContext context)
    {
        var url = ClientEnvironment.UrlOption("Claude Code");
        var key = ClientEnvironment.KeyOption();
        var shell = ClientEnvironment.ShellOption();
        var command = new Command("claude-env", "Print the environment variables that point Claude Code at this Switchyard.") { url, key, shell };
        command.SetAction((parse, ct) => context.RunAsync(async () =>
        {
            var configuration = context.Configuration(parse);
            var options = Hosting.ConfigurationLoader.Load(configuration);
            var catalog = new ModelCatalog(options.Models);
            var strongest = ClientEnvironment.Strongest(catalog);
            var fastest = catalog.Models.FirstOrDefault(m => m.Id.Contains("flash", StringComparison.OrdinalIgnoreCase)) ?? catalog.Models[0];
            // "[1m]" tells Claude Code the model has a 1M-token context (it then compacts later); Switchyard drops the suffix.
            var strongestName = strongest.Id + (strongest.ContextWindow >= 1_000_000 ? "[1m]" : string.Empty);

            var env = ClientEnvironment.For(parse.GetValue(shell)!);
            env.Comment("Point Claude Code at Switchyard (" + env.ApplyHint("claude-env") + ").")
                .Export("ANTHROPIC_BASE_URL", ClientEnvironment.BaseUrl(parse.GetValue(url), configuration) + "/anthropic")
                .ExportKey("ANTHROPIC_AUTH_TOKEN", parse.GetValue(key), "claude-code")
                .Comment("Models, as DeepSeek's Claude Code guide sets them (served: " + string.Join(", ", catalog.Models.Select(m => m.Id)) + "):")
                .Export("ANTHROPIC_MODEL", strongestName)
                .Export("ANTHROPIC_DEFAULT_OPUS_MODEL", strongestName)
                .Export("ANTHROPIC_DEFAULT_SONNET_MODEL", strongestName)
                .Export("ANTHROPIC_DEFAULT_HAIKU_MODEL", fastest.Id)
                .Export("CLAUDE_CODE_SUBAGENT_MODEL", fastest.Id)
                .Export("CLAUDE_CODE_EFFORT_LEVEL", "max")
                .Export("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")
                .Comment("DeepSeek may queue a request for up to 10 minutes.")
                .Export("API_TIMEOUT_MS", "600000")
                .Comment("Without the model variables, Claude Code's own names work as they are:");
            foreach (var alias in catalog.Aliases)
            {
                env.Comment("  " + alias.Pattern + " → " + alias.Target +
                    alias.Thinking switch { true => " (thinking on)", false => " (thinking off)", _ => string.Empty });
            }

            await context.Console.Out.WriteAsync(env.ToString());
            return ExitCodes.Ok;
        }));
        return command;
    }
}
