using Switchyard.Errors;
using Switchyard.Lanes;
using Switchyard.Providers;

namespace Switchyard.Endpoints;

/// <summary>
/// The OpenAI-format front in DeepSeek's flavour: <c>/chat/completions</c> (also under <c>/v1</c> and <c>/beta</c>),
/// FIM at <c>/beta/completions</c>, and the upstream's <c>/user/balance</c>.
/// </summary>
internal static class ChatCompletionsEndpoints
{
    public static void MapChatCompletions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/chat/completions", context => LaneEndpoint.ServeAsync(context, ClientFormat.OpenAI, LaneOperation.Generate));
        app.MapPost("/v1/chat/completions", context => LaneEndpoint.ServeAsync(context, ClientFormat.OpenAI, LaneOperation.Generate));
        app.MapPost("/beta/chat/completions", context => LaneEndpoint.ServeAsync(context, ClientFormat.OpenAI, LaneOperation.Generate, betaPath: true));
        app.MapPost("/beta/completions", context => LaneEndpoint.ServeAsync(context, ClientFormat.OpenAI, LaneOperation.Complete));
    }

    /// <summary>The default upstream's own balance, for callers without a Switchyard budget.</summary>
    internal static async Task UpstreamBalanceAsync(HttpContext context)
    {
        var providers = context.RequestServices.GetRequiredService<ProviderRegistry>();
        if (providers.Default.Kind != ProviderKind.OpenAI)
        {
            throw new GatewayException(GatewayErrorKind.NotFound, "The default provider has no balance endpoint.");
        }

        await using var response = await providers.Client(null).GetAsync("/user/balance", context.RequestAborted);
        var body = await response.ReadBodyAsync(context.RequestAborted);
        context.Response.StatusCode = response.Status;
        context.Response.ContentType = response.ContentType ?? "application/json";
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }
}
