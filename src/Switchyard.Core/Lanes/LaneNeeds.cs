using Switchyard.Errors;
using Switchyard.Lanes.MessagesToChat;
using Switchyard.Lanes.ResponsesToChat;
using Switchyard.Models;
using Switchyard.Providers;
using Switchyard.Routing;
using Switchyard.Tokenization;

namespace Switchyard.Lanes;

/// <summary>What a request needs from a route (images, thinking, tools, its length in tokens), read by its client format.</summary>
public sealed class LaneNeeds(ModelCatalog catalog, ProviderRegistry providers, MessagesToChatLane messages, ResponsesToChatLane responses)
{
    /// <summary>The needs of <paramref name="request"/>; the token count is computed only when a route asks for it.</summary>
    public RequestNeeds Of(LaneRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Format == ClientFormat.Anthropic
            ? RequestNeeds.FromMessages(request.Json, () => CountTokens(request, (r, target) => messages.CountInputTokens(messages.Read(r), target)))
            : request.Operation == LaneOperation.Respond
                ? RequestNeeds.FromResponses(request.Json, () => CountTokens(request, responses.CountInputTokens))
                : RequestNeeds.FromChat(request.Json, () => TextTokens(request));
    }

    /// <summary>Input tokens for long-context routes: the translated request, or the body's text when it cannot be translated.</summary>
    private int CountTokens(LaneRequest request, Func<LaneRequest, ResolvedTarget, int> count)
    {
        try
        {
            var model = catalog.Resolve(request.Model ?? string.Empty);
            return count(request, new ResolvedTarget(providers.Get(model.Model.Provider), model));
        }
        catch (GatewayException)
        {
            return TextTokens(request);
        }
    }

    private static int TextTokens(LaneRequest request) => DeepSeekTokenizer.Shared.CountTokens(RequestNeeds.TextOf(request.Json));
}
