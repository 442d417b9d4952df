using System.CommandLine;
using Switchyard.Hosting;

namespace Switchyard.Cli;

/// <summary><c>switchyard serve</c>, also what <c>switchyard</c> alone runs: the gateway, until stopped (Ctrl+C, SIGTERM).</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var serve = new Command("serve", "Run the gateway (the default command).");
        serve.SetAction((parse, ct) => RunAsync(context, parse));
        return serve;
    }

    /// <summary>Starts the server and waits for shutdown; a bad setting exits 2, a failure to start (port in use) 1.</summary>
    public static async Task<int> RunAsync(CliContext context, ParseResult parse)
    {
        WebApplication app;
        try
        {
            app = SwitchyardApp.Build(context.ConfigurationArgs(parse), context.Console.Overrides, workingDirectory: context.Console.WorkingDirectory);
        }
        catch (InvalidOperationException exception)
        {
            return await context.FailAsync(ExitCodes.Usage, "invalid configuration: " + exception.Message);
        }

        await using (app)
        {
            try
            {
                await SwitchyardApp.StartAsync(app);
            }
            catch (InvalidOperationException exception)
            {
                return await context.FailAsync(ExitCodes.Usage, "invalid configuration: " + exception.Message);
            }
            catch (IOException exception)
            {
                return await context.FailAsync(ExitCodes.Failure, "cannot start: " + exception.Message);
            }

            // The host stops on Ctrl+C and SIGTERM itself, draining requests (Switchyard:DrainTimeout).
            await app.WaitForShutdownAsync();
            return ExitCodes.Ok;
        }
    }
}
