namespace Switchyard.Cli;

/// <summary>The process exit codes of every command (also listed in <c>switchyard --help</c> and README.md).</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>The command ran and failed: a request that would be rejected, no such key, the database or the port unavailable.</summary>
    public const int Failure = 1;

    /// <summary>
    /// Usage: the command line or the configuration is wrong (unknown command or option, a bad value, an unreadable
    /// input file, an invalid or unknown setting).
    /// </summary>
    public const int Usage = 2;

    /// <summary>The text shown in <c>--help</c>.</summary>
    public const string Help = "Exit codes: 0 ok, 1 failure (the command ran and failed), 2 usage (bad command line, value or setting).";
}
