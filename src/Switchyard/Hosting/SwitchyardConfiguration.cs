namespace Switchyard.Hosting;

/// <summary>
/// The one configuration of the server and of every command: <c>appsettings.json</c> (and
/// <c>appsettings.{Environment}.json</c>) in the content root, then environment variables, then the command line.
/// The content root is <c>--contentRoot</c>, else <c>ASPNETCORE_CONTENTROOT</c> or <c>DOTNET_CONTENTROOT</c>, else
/// the working directory when it holds an <c>appsettings.json</c>, else the executable's folder.
/// </summary>
public static class SwitchyardConfiguration
{
    /// <summary>The settings file looked for in the content root.</summary>
    public const string SettingsFile = "appsettings.json";

    /// <summary>The host setting (and command-line option) that names the content root.</summary>
    public const string ContentRootKey = "contentRoot";

    private static readonly string[] ContentRootVariables = ["ASPNETCORE_CONTENTROOT", "DOTNET_CONTENTROOT"];

    /// <summary>The content root for <paramref name="args"/> started in <paramref name="workingDirectory"/>.</summary>
    public static string ResolveContentRoot(IReadOnlyList<string> args, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var cwd = workingDirectory ?? Directory.GetCurrentDirectory();
        if (ContentRootArgument(args) is { Length: > 0 } explicitRoot)
        {
            return Path.GetFullPath(explicitRoot, cwd);
        }

        foreach (var variable in ContentRootVariables)
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } fromEnvironment)
            {
                return Path.GetFullPath(fromEnvironment, cwd);
            }
        }

        // A checkout or a deployment folder with its own settings wins; otherwise the settings published next to the
        // executable, so `switchyard keys …` run from anywhere finds the same files as the server it belongs to.
        return File.Exists(Path.Combine(cwd, SettingsFile)) ? Path.GetFullPath(cwd) : AppContext.BaseDirectory;
    }

    /// <summary>
    /// A host builder over the resolved content root with <paramref name="args"/> as its command line; its
    /// <see cref="WebApplicationBuilder.Configuration"/> is the configuration every command reads.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var contentRoot = ResolveContentRoot(args, workingDirectory);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [.. WithoutContentRoot(args)],
            ContentRootPath = contentRoot,
        });
        builder.Configuration[ContentRootKey] = contentRoot;
        return builder;
    }

    /// <summary>The content root a configuration was resolved from (the working directory when it names none).</summary>
    public static string ContentRoot(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[ContentRootKey] is { Length: > 0 } root ? root : Directory.GetCurrentDirectory();
    }

    private static string? ContentRootArgument(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (IsContentRootName(args[i]) && i + 1 < args.Count)
            {
                return args[i + 1];
            }

            var equals = args[i].IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && IsContentRootName(args[i][..equals]))
            {
                return args[i][(equals + 1)..];
            }
        }

        return null;
    }

    private static IEnumerable<string> WithoutContentRoot(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (IsContentRootName(args[i]))
            {
                i++;
                continue;
            }

            var equals = args[i].IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && IsContentRootName(args[i][..equals]))
            {
                continue;
            }

            yield return args[i];
        }
    }

    private static bool IsContentRootName(string token) =>
        token.TrimStart('-', '/').Equals(ContentRootKey, StringComparison.OrdinalIgnoreCase) && token.StartsWith('-');
}
