using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Switchyard.Endpoints;
using Switchyard.Errors;
using Switchyard.Observability;
using Switchyard.Platform;

namespace Switchyard.Hosting;

/// <summary>Builds and starts the gateway; used by <c>Program</c> and by tests that host it in-process.</summary>
public static class SwitchyardApp
{
    private const string PollingWatcherVariable = "DOTNET_USE_POLLING_FILE_WATCHER";

    /// <summary>
    /// Builds the application. <paramref name="overrides"/> are applied last (tests use them), then
    /// <paramref name="configure"/> may add sources (tests add reloadable ones).
    /// </summary>
    /// <exception cref="InvalidOperationException">The configuration is invalid; the message names the setting.</exception>
    /// <param name="args">The command line: <c>--urls</c>, <c>--contentRoot</c>, <c>--Section:Key=value</c> settings.</param>
    /// <param name="overrides">Settings applied after every other source.</param>
    /// <param name="configure">Adds further configuration sources.</param>
    /// <param name="workingDirectory">Where the content root is looked for (default: the current directory).</param>
    public static WebApplication Build(
        string[] args, IReadOnlyDictionary<string, string?>? overrides = null, Action<IConfigurationBuilder>? configure = null,
        string? workingDirectory = null)
    {
        // appsettings.json is watched (routes reload), and the default watcher puts an inotify watch on every directory
        // under the content root: over a thousand when started from a source checkout, set up before the first request
        // and woken by every file written below it. Polling the two files every few seconds costs nearly nothing.
        if (Environment.GetEnvironmentVariable(PollingWatcherVariable) is null)
        {
            Environment.SetEnvironmentVariable(PollingWatcherVariable, "true");
        }

        var builder = SwitchyardConfiguration.CreateBuilder(args, workingDirectory);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        configure?.Invoke(builder.Configuration);

        var options = ConfigurationLoader.Load(builder.Configuration);
        builder.Services.AddSwitchyard(options);
        builder.Services.AddSwitchyardPlatform(builder.Configuration, options);
        builder.Services.AddSwitchyardObservability(builder.Configuration);
        RequestBuffering.Apply(builder, options);
        ProtocolRejections.Apply(builder);
        ConnectionLimits.Apply(builder);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.DrainTimeout);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:8080");
        }

        var app = builder.Build();
        RouteReload.Watch(app.Services, builder.Configuration);
        app.Use(ProtocolRejections.MarkRequestsAsync);
        app.UseMiddleware<BrowserSafety>(BrowserSafetyOptions.Load(builder.Configuration));
        app.UseSwitchyardObservability();
        app.UseMiddleware<GatewayMiddleware>();
        app.MapHealth();
        app.MapReadiness();
        app.MapMessages();
        app.MapModels();
        app.MapChatCompletions();
        app.MapResponses();
        app.MapPlatformEndpoints();
        app.MapSwitchyardObservability();
        app.MapFallback(context => throw new GatewayException(GatewayErrorKind.NotFound,
            $"{context.Request.Method} {context.Request.Path} is not an endpoint of this API."));
        return app;
    }

    /// <summary>Starts the application and logs how it is set up; refuses open access on a network address.</summary>
    /// <exception cref="InvalidOperationException">Open mode on a non-loopback address.</exception>
    public static async Task StartAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.StartAsync();
        var options = app.Services.GetRequiredService<SwitchyardOptions>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Switchyard");
        var addresses = Addresses(app);
        var openMode = await app.Services.GetRequiredService<PlatformService>().IsOpenModeAsync();
        if (openMode && !addresses.All(IsLoopback) && !options.Auth.AllowOpenAccessOnNetwork)
        {
            await app.StopAsync();
            throw new InvalidOperationException(
                $"Switchyard:Auth:Keys: no client keys exist, so Switchyard only serves loopback addresses, but it is bound to {string.Join(", ", addresses)}. " +
                "Create a key (`switchyard keys create --name …`), or set Switchyard:Auth:AllowOpenAccessOnNetwork=true to accept any key.");
        }

        logger.LogInformation("Switchyard listening on {Addresses}", string.Join(", ", addresses));
        logger.LogInformation("Configuration from content root {ContentRoot}", SwitchyardConfiguration.ContentRoot(app.Configuration));
        if (UpstreamKeyCheck.IsMissing(options))
        {
            logger.LogWarning("Upstream '{Provider}' at {BaseUrl}: {Advice} Until then /readyz answers 503 and requests to it fail.",
                options.Upstream.Name, options.Upstream.BaseUrl, UpstreamKeyCheck.Advice);
        }
        else
        {
            logger.LogInformation("Upstream '{Provider}' at {BaseUrl} (API key {KeyState})", options.Upstream.Name, options.Upstream.BaseUrl,
                string.IsNullOrEmpty(options.Upstream.ApiKey) && options.Upstream.ApiKeys.Count == 0 ? "not set" : "set");
        }
        if (openMode)
        {
            logger.LogWarning("Client auth: open mode, any key is accepted from loopback clients (no client keys exist yet; create one with `switchyard keys create`)");
        }
        else
        {
            logger.LogInformation("Client auth: API keys required");
        }
    }

    /// <summary>The addresses the server listens on.</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];
    }

    private static bool IsLoopback(string address)
    {
        var uri = new Uri(address.Replace("*", "0.0.0.0", StringComparison.Ordinal).Replace("+", "0.0.0.0", StringComparison.Ordinal));
        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}
