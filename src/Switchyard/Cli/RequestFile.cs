using System.Text.Json;

namespace Switchyard.Cli;

/// <summary>Reads the JSON request file of <c>check</c> and <c>routes explain</c> (<c>-</c>: standard input).</summary>
internal static class RequestFile
{
    /// <summary>The parsed file, or null after writing why to stderr.</summary>
    public static async Task<JsonDocument?> ReadAsync(CliContext context, string path, string command, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = path == "-" ? await context.Console.In.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await context.FailAsync(ExitCodes.Usage, $"{command}: cannot read '{path}': {exception.Message}");
            return null;
        }

        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException exception)
        {
            await context.FailAsync(ExitCodes.Usage, $"{command}: '{path}' is not JSON: {exception.Message}");
            return null;
        }
    }
}
