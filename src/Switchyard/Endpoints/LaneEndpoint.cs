using Switchyard.Hosting;
using Switchyard.Lanes;
using Switchyard.Lanes.Outcome;
using Switchyard.Platform;

namespace Switchyard.Endpoints;

/// <summary>The one adapter from HTTP to a lane: reads the body within its limit and hands the request to the <see cref="LaneRunner"/>.</summary>
internal static class LaneEndpoint
{
    public static async Task ServeAsync(HttpContext context, ClientFormat format, LaneOperation operation, bool betaPath = false)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<SwitchyardOptions>();
        using var body = await RequestBody.ReadAsync(context, options.MaxRequestBodyBytes);
        var headers = context.Request.Headers;
        var request = new LaneRequest(format, operation, body.Bytes, body.Document.RootElement,
            name => headers.TryGetValue(name, out var value) ? value.ToString() : null)
        {
            BetaPath = betaPath,
            Tenant = context.GetPlatformAuth()?.Key?.Id,
            // Loaded before routing, so that every target's lane sees the whole conversation.
            Conversation = operation == LaneOperation.Respond ? await ResponsesEndpoints.LoadConversationAsync(context, body.Document.RootElement) : null,
        };
        var log = context.GetRequestLog();
        if (log is not null)
        {
            // A longer name is refused by the lane (400); the ledger and the log keep no client text of unbounded size.
            log.Record.RequestedModel = request.Model is { Length: <= Models.ModelCatalog.MaxNameLength } model ? model : null;
        }

        await services.GetRequiredService<LaneRunner>().RunAsync(new LaneCall
        {
            Request = request,
            Response = new HttpClientResponse(context),
            Recorder = (IOutcomeRecorder?)log ?? new DiscardingOutcomeRecorder(),
            AdmitAsync = (model, _) => new ValueTask(Admissions.AdmitAsync(context, model)),
            PingInterval = options.PingInterval,
            Drain = services.GetRequiredService<DrainSignal>().Token,
        });
    }
}
