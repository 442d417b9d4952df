using Switchyard.Lanes;

namespace Switchyard.Endpoints;

/// <summary><c>POST /v1/messages</c> and <c>/v1/messages/count_tokens</c>, also under <c>/anthropic</c>: the Anthropic front.</summary>
internal static class MessagesEndpoints
{
    public static void MapMessages(this IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "", "/anthropic" })
        {
            app.MapPost(prefix + "/v1/messages", context => LaneEndpoint.ServeAsync(context, ClientFormat.Anthropic, LaneOperation.Generate));
            app.MapPost(prefix + "/v1/messages/count_tokens", context => LaneEndpoint.ServeAsync(context, ClientFormat.Anthropic, LaneOperation.CountTokens));
        }
    }
}
