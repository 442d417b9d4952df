using Switchyard.Lanes.Responses;
using Switchyard.Lanes.ResponsesToChat;
using Switchyard.Lanes.ResponsesToMessages;
using Switchyard.Memory;
using Switchyard.OpenAI.Responses;
using Switchyard.Platform;
using Switchyard.Tokenization;
using Switchyard.Translation;

namespace Switchyard.Hosting;

/// <summary>Registers the Responses API front's lanes and what they share: the seal, the translator and the response store.</summary>
internal static class ResponsesRegistration
{
    /// <summary>
    /// Adds <see cref="ReasoningSeal"/> (keyed from <paramref name="signingKey"/>), <see cref="ResponsesRequestTranslator"/>,
    /// <see cref="ResponseStore"/> and the two Responses lanes.
    /// </summary>
    public static IServiceCollection AddResponsesLanes(this IServiceCollection services, SwitchyardOptions options, byte[] signingKey)
    {
        var seal = new ReasoningSeal(signingKey);
        services.AddSingleton(seal);
        services.AddSingleton<ResponsesRequestTranslator>();
        services.AddSingleton(sp => new ResponseStore(sp.GetRequiredService<PlatformRuntime>().Database, options.Responses));
        services.AddSingleton(sp => new ResponsesToChatLane(
            sp.GetRequiredService<ResponsesRequestTranslator>(),
            new ResponsesRelay(seal, sp.GetRequiredService<ResponseStore>(), sp.GetRequiredService<IReasoningMemory>()),
            sp.GetRequiredService<ITokenCounter>(),
            sp.GetRequiredService<UserIdPolicy>(),
            sp.GetRequiredService<Resilience.UpstreamExecutor>()));
        // The Chat → Messages translators remember this lane's thinking (with its signatures) themselves.
        services.AddSingleton(sp => new ResponsesToMessagesLane(
            sp.GetRequiredService<ResponsesRequestTranslator>(),
            new ResponsesRelay(seal, sp.GetRequiredService<ResponseStore>(), memory: null),
            sp.GetRequiredService<IReasoningMemory>(),
            sp.GetRequiredService<UserIdPolicy>()));
        return services;
    }
}
