using System.Net;
using Switchyard.Lanes;
using Switchyard.Lanes.ChatToChat;
using Switchyard.Lanes.ChatToMessages;
using Switchyard.Lanes.MessagesPassthrough;
using Switchyard.Lanes.MessagesToChat;
using Switchyard.Lanes.ResponsesToChat;
using Switchyard.Lanes.ResponsesToMessages;
using Switchyard.Memory;
using Switchyard.Tokenization;
using Switchyard.Models;
using Switchyard.Providers;
using Switchyard.Translation;

namespace Switchyard.Hosting;

/// <summary>Registers Switchyard's services.</summary>
public static class ServiceRegistration
{
    /// <summary>Adds the gateway's singletons for validated <paramref name="options"/>.</summary>
    public static IServiceCollection AddSwitchyard(this IServiceCollection services, SwitchyardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton(new ModelCatalog(options.Models));
        var signingKey = SigningKeyStore.Load(options);
        services.AddSingleton(new ThinkingSignature(signingKey));
        services.AddSingleton(new UserIdPolicy(options.Translation.UserId, signingKey));
        services.AddResponsesLanes(options, signingKey);
        services.AddSingleton(options.Translation);
        services.AddSingleton<RequestTranslator>();
        services.AddSingleton<ResponseTranslator>();
        services.AddSingleton<ITokenCounter, DeepSeekTokenCounter>();
        services.AddSingleton(_ => NewHttpClient(options.Resilience.ConnectTimeout, options));
        services.AddSingleton(sp =>
        {
            // One pooled client per connect timeout: providers may set their own.
            var shared = sp.GetRequiredService<HttpClient>();
            var clients = new Dictionary<TimeSpan, HttpClient> { [options.Resilience.ConnectTimeout] = shared };
            return new ProviderRegistry(
                provider =>
                {
                    var timeout = provider.ConnectTimeout ?? options.Resilience.ConnectTimeout;
                    if (!clients.TryGetValue(timeout, out var client))
                    {
                        clients[timeout] = client = NewHttpClient(timeout, options);
                    }

                    return client;
                },
                options.Upstream, options.Providers, options.Resilience.CircuitBreaker);
        });
        services.AddSingleton(sp => new Routing.Router(
            sp.GetRequiredService<ModelCatalog>(), sp.GetRequiredService<ProviderRegistry>(), options.Routes));
        services.AddSingleton(sp =>
        {
            var logger = sp.GetService<ILoggerFactory>()?.CreateLogger("Switchyard.Resilience");
            return new Resilience.UpstreamExecutor(options.Resilience, sp.GetRequiredService<ProviderRegistry>(), null,
                logger is null ? null : line => logger.LogInformation("{Line}", line));
        });
        services.AddSingleton<DrainSignal>();
        services.AddSingleton<MessagesToChatLane>();
        services.AddSingleton(sp => new LaneRegistry(
        [
            sp.GetRequiredService<MessagesToChatLane>(),
            new MessagesPassthroughLane(),
            new ChatToChatLane(sp.GetRequiredService<IReasoningMemory>(), sp.GetRequiredService<UserIdPolicy>(), sp.GetRequiredService<Resilience.UpstreamExecutor>()),
            new ChatToMessagesLane(sp.GetRequiredService<IReasoningMemory>(), sp.GetRequiredService<UserIdPolicy>()),
            new CompletionsLane(),
            sp.GetRequiredService<ResponsesToChatLane>(),
            sp.GetRequiredService<ResponsesToMessagesLane>(),
        ]));
        services.AddSingleton(sp => new LaneNeeds(
            sp.GetRequiredService<ModelCatalog>(), sp.GetRequiredService<ProviderRegistry>(), sp.GetRequiredService<MessagesToChatLane>(),
            sp.GetRequiredService<ResponsesToChatLane>()));
        services.AddSingleton(sp => new LaneRunner(
            sp.GetRequiredService<Routing.Router>(), sp.GetRequiredService<Resilience.UpstreamExecutor>(), sp.GetRequiredService<LaneRegistry>(),
            sp.GetRequiredService<LaneNeeds>().Of));
        services.AddSingleton(new ClientKeyValidator(options.Auth));
        return services;
    }

    private static HttpClient NewHttpClient(TimeSpan connectTimeout, SwitchyardOptions options) => new(UpstreamKeyCheck.Guard(new Observability.UpstreamTelemetryHandler(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        ConnectTimeout = connectTimeout,
        AutomaticDecompression = DecompressionMethods.All,
        // A gateway relays: a redirect is the upstream's answer (and following it would turn a POST into a GET), and
        // cookies set by the upstream must not be kept and replayed for every client. Both also leave the handler
        // chain one layer shorter each.
        AllowAutoRedirect = false,
        UseCookies = false,
        MaxConnectionsPerServer = int.MaxValue,
        EnableMultipleHttp2Connections = true,
    }), options))
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
