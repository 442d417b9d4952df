using System.CommandLine;
using System.Data.Common;
using Switchyard.Hosting;

namespace Switchyard.Cli;

/// <summary>
/// What one invocation's commands share: the console and the configuration, resolved exactly as the server resolves
/// it (<see cref="SwitchyardConfiguration"/>) from the <c>--Section:Key=value</c> settings of the command line.
/// </summary>
internal sealed class CliContext(CliConsole console, IReadOnlyList<string> settingArgs)
{
    private IConfigurationRoot? _configuration;

    public CliConsole Console { get; } = console;

    /// <summary>The <c>--urls</c> option (every command that needs Switchyard's address).</summary>
    public Option<string?> Urls { get; } = new("--urls")
    {
        Description = "Where the server listens (default http://127.0.0.1:8080); several separated by ';'.",
        Recursive = true,
    };

    /// <summary>The <c>--contentRoot</c> option: where appsettings.json is looked for.</summary>
    public Option<string?> ContentRoot { get; } = new("--" + SwitchyardConfiguration.ContentRootKey)
    {
        Description = "Folder with appsettings.json (default: the working directory if it has one, else the executable's folder).",
        HelpName = "dir",
        Recursive = true,
    };

    /// <summary>The command line for the configuration: the settings, <c>--urls</c> and <c>--contentRoot</c> when given.</summary>
    public string[] ConfigurationArgs(ParseResult parse)
    {
        var args = new List<string>(settingArgs);
        if (parse.GetValue(Urls) is { Length: > 0 } urls)
        {
            args.Add("--urls=" + urls);
        }

        if (parse.GetValue(ContentRoot) is { Length: > 0 } root)
        {
            args.Add("--" + SwitchyardConfiguration.ContentRootKey + "=" + root);
        }

        return [.. args];
    }

    /// <summary>The configuration the server would read, started the same way.</summary>
    public IConfigurationRoot Configuration(ParseResult parse)
    {
        if (_configuration is null)
        {
            var builder = SwitchyardConfiguration.CreateBuilder(ConfigurationArgs(parse), Console.WorkingDirectory);
            if (Console.Overrides is not null)
            {
                builder.Configuration.AddInMemoryCollection(Console.Overrides);
            }

            _configuration = builder.Configuration;
        }

        return _configuration;
    }

    /// <summary>
    /// Opens the platform database the server uses (migrating it if needed) and runs <paramref name="action"/> on it;
    /// configuration errors exit 2, a refused value 2, a storage or store error 1, each with its message on stderr.
    /// </summary>
    public Task<int> PlatformAsync(ParseResult parse, Func<Platform.PlatformRuntime, Task<int>> action, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        var configuration = Configuration(parse);
        var options = ConfigurationLoader.Load(configuration);
        var platform = Platform.PlatformOptions.Load(configuration);
        await using var runtime = new Platform.PlatformRuntime(platform, options.DataDirectory!);
        try
        {
            await runtime.MigrateAsync(cancellationToken);
            return await action(runtime);
        }
        catch (ArgumentException exception)
        {
            return await FailAsync(ExitCodes.Usage, exception.Message.Split(" (Parameter")[0]);
        }
        catch (InvalidOperationException exception)
        {
            return await FailAsync(ExitCodes.Failure, exception.Message);
        }
    });

    /// <summary>Runs <paramref name="action"/>, turning configuration and storage errors into a message on stderr and an exit code.</summary>
    public async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (InvalidOperationException exception)
        {
            return await FailAsync(ExitCodes.Usage, "invalid configuration: " + exception.Message);
        }
        catch (DbException exception)
        {
            return await FailAsync(ExitCodes.Failure, "storage: " + exception.Message);
        }
    }

    /// <summary>Writes <c>switchyard: message</c> to stderr and returns <paramref name="code"/>.</summary>
    public async Task<int> FailAsync(int code, string message)
    {
        await Console.Error.WriteLineAsync("switchyard: " + message);
        return code;
    }
}
