using Switchyard.Cli;

namespace Switchyard.Tests.Cli;

/// <summary>What one in-process run of the command line printed and returned.</summary>
/// <param name="Exit">The exit code.</param>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
public sealed record CliResult(int Exit, string Out, string Error);

/// <summary>Runs <see cref="SwitchyardCli"/> in-process with captured standard output and error.</summary>
public static class Cli
{
    /// <summary>An empty working directory: the content root falls back to the executable's folder, as on a fresh install.</summary>
    private static readonly Lazy<string> EmptyDirectory = new(() => Directory.CreateTempSubdirectory("switchyard-cli-").FullName);

    public static async Task<CliResult> RunAsync(
        string[] args, IReadOnlyDictionary<string, string?>? overrides = null, string? stdin = null, string? workingDirectory = null, int width = 80)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new StringReader(stdin ?? string.Empty);
        var exit = await SwitchyardCli.RunAsync(args, new CliConsole
        {
            Out = output,
            Error = error,
            In = input,
            Overrides = overrides,
            WorkingDirectory = workingDirectory ?? EmptyDirectory.Value,
            Width = width,
        });
        return new CliResult(exit, output.ToString(), error.ToString());
    }
}
