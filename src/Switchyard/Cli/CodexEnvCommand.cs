using System.CommandLine;
using Switchyard.Hosting;
using Switchyard.Models;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard codex-env</c>: the <c>~/.codex/config.toml</c> block that points the Codex CLI at this Switchyard's
/// Responses API (<see cref="CodexConfig"/>), and the key variable it reads, in the chosen shell's syntax.
/// </summary>
internal static class CodexEnvCommand
{
    public static Command Create(CliContext context)
    {
        var url = ClientEnvironment.UrlOption("Codex");
        var key = ClientEnvironment.KeyOption();
        var shell = ClientEnvironment.ShellOption();
        var model = new Option<string?>("--model") { Description = "The model Codex asks for (default: the catalog's strongest, e.g. deepseek-v4-pro)." };
        var command = new Command("codex-env", "Print the ~/.codex/config.toml block and the key variable that point the Codex CLI at this Switchyard.")
        {
            url, key, shell, model,
        };
        command.SetAction((parse, ct) => context.RunAsync(async () =>
        {
            var configuration = context.Configuration(parse);
            var catalog = new ModelCatalog(ConfigurationLoader.Load(configuration).Models);
            var served = parse.GetValue(model) ?? ClientEnvironment.Strongest(catalog).Id;
            var env = ClientEnvironment.For(parse.GetValue(shell)!);
            env.Comment("Point the Codex CLI at Switchyard (" + env.ApplyHint("codex-env") + "); the config block follows.")
                .ExportKey(CodexConfig.KeyVariable, parse.GetValue(key), "codex");
            await context.Console.Out.WriteAsync(env.ToString());
            await context.Console.Out.WriteAsync("\n" + CodexConfig.Render(new Uri(ClientEnvironment.BaseUrl(parse.GetValue(url), configuration)), served));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
