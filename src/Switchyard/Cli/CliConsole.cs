using Spectre.Console;

namespace Switchyard.Cli;

/// <summary>Where a command reads and writes, and what it runs in; tests give their own.</summary>
public sealed class CliConsole
{
    /// <summary>Results (tables, JSON, the secret of a new key).</summary>
    public TextWriter Out { get; init; } = Console.Out;

    /// <summary>Errors and diagnostics.</summary>
    public TextWriter Error { get; init; } = Console.Error;

    /// <summary>Standard input (<c>-</c> as a file name).</summary>
    public TextReader In { get; init; } = Console.In;

    /// <summary>Settings applied after every configuration source (tests).</summary>
    public IReadOnlyDictionary<string, string?>? Overrides { get; init; }

    /// <summary>The working directory the content root is resolved from (default: the current directory).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Table width; default: the terminal's, or 80 columns when the output is not a terminal.</summary>
    public int? Width { get; init; }

    /// <summary>A Spectre console over <see cref="Out"/>: colour only on a terminal.</summary>
    internal IAnsiConsole Tables()
    {
        if (ReferenceEquals(Out, Console.Out) && Width is null)
        {
            return AnsiConsole.Console;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(Out),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = Width ?? 80;
        return console;
    }
}
