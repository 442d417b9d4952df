using Switchyard.Hosting;

namespace Switchyard.Platform;

/// <summary>Registers and maps the platform: storage, keys, limits, prices, ledger, admin API and balance.</summary>
public static class PlatformRegistration
{
    /// <summary>
    /// Adds <see cref="PlatformOptions"/>, <see cref="PlatformRuntime"/>, <see cref="PlatformService"/> and a hosted
    /// service that migrates the schema and replays the ledger outbox before the server accepts requests.
    /// </summary>
    /// <exception cref="InvalidOperationException">A platform setting is invalid; the message names it.</exception>
    public static IServiceCollection AddSwitchyardPlatform(this IServiceCollection services, IConfiguration configuration, SwitchyardOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var platform = PlatformOptions.Load(configuration);
        var dataDirectory = options.DataDirectory
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".switchyard");
        services.AddSingleton(platform);
        services.AddSingleton(new AdminAccess(platform));
        services.AddSingleton(sp => new PlatformRuntime(platform, dataDirectory,
            sp.GetService<ILoggerFactory>()?.CreateLogger("Switchyard.Platform")));
        services.AddSingleton(sp => new PlatformService(sp.GetRequiredService<PlatformRuntime>(), sp.GetService<ClientKeyValidator>(),
            options.Auth.AllowOpenAccessOnNetwork));
        // Shared by every replica through the platform database, so a follow-up turn served elsewhere finds it.
        services.AddSingleton<Memory.IReasoningMemory>(sp => new Memory.SharedReasoningMemory(options.ReasoningMemory, sp.GetRequiredService<PlatformRuntime>().Database));
        services.AddHostedService<PlatformHostedService>();
        return services;
    }

    /// <summary>
    /// Maps <c>GET /user/balance</c> (also <c>/v1/user/balance</c>) and the admin API under <c>/admin</c>:
    /// <c>GET/POST /admin/keys</c>, <c>GET/DELETE /admin/keys/{id}</c>, <c>POST /admin/keys/{id}/revoke</c>,
    /// <c>GET /admin/usage?since=&amp;by=</c>, <c>GET /admin/requests?since=&amp;key=</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapPlatformEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        PlatformEndpoints.Map(endpoints);
        return endpoints;
    }
}
