using System.Globalization;
using System.Text.Json;
using Switchyard.Errors;
using Switchyard.Lanes;
using Switchyard.Lanes.Responses;
using Switchyard.OpenAI.Responses;
using Switchyard.Platform;

namespace Switchyard.Endpoints;

/// <summary>
/// The OpenAI Responses API: <c>POST /v1/responses</c> (also <c>/responses</c>) through the lanes like every front,
/// and <c>GET</c>/<c>DELETE /v1/responses/{id}</c> and <c>GET /v1/responses/{id}/input_items</c> over the store.
/// </summary>
internal static class ResponsesEndpoints
{
    public static void MapResponses(this IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/v1", "" })
        {
            app.MapPost(prefix + "/responses", context => LaneEndpoint.ServeAsync(context, ClientFormat.OpenAI, LaneOperation.Respond));
            app.MapGet(prefix + "/responses/{id}", GetAsync);
            app.MapDelete(prefix + "/responses/{id}", DeleteAsync);
            app.MapGet(prefix + "/responses/{id}/input_items", InputItemsAsync);
        }
    }

    /// <summary>The caller's key scope, and the stored conversation that the body's <c>previous_response_id</c> continues (404 when unknown).</summary>
    public static async Task<ResponsesConversation> LoadConversationAsync(HttpContext context, JsonElement body)
    {
        var scope = KeyScope(context);
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("previous_response_id", out var previous) &&
            previous.ValueKind == JsonValueKind.String && previous.GetString() is { Length: > 0 } id)
        {
            var store = context.RequestServices.GetRequiredService<ResponseStore>();
            return new ResponsesConversation(scope, await store.LoadConversationAsync(id, scope, context.RequestAborted));
        }

        return scope.Length == 0 ? ResponsesConversation.None : new ResponsesConversation(scope, []);
    }

    private static async Task GetAsync(HttpContext context, string id, ResponseStore store)
    {
        if (context.Request.Query["stream"] == "true")
        {
            throw GatewayException.Invalid("stream: replaying a stored response as a stream is not supported; omit stream", "stream");
        }

        var json = await store.GetJsonAsync(id, KeyScope(context), context.RequestAborted) ?? throw ResponseStore.NotFound(id);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    private static async Task DeleteAsync(HttpContext context, string id, ResponseStore store)
    {
        if (!await store.DeleteAsync(id, KeyScope(context), context.RequestAborted))
        {
            throw ResponseStore.NotFound(id);
        }

        await JsonResponses.WriteJsonAsync(context, new ResponseDeleted(id), ResponsesJsonContext.Default.ResponseDeleted);
    }

    private static async Task InputItemsAsync(HttpContext context, string id, ResponseStore store)
    {
        var query = context.Request.Query;
        var limit = 20;
        if (query["limit"].ToString() is { Length: > 0 } limitText &&
            (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
        {
            throw GatewayException.Invalid("limit must be an integer from 1 to 100", "limit");
        }

        var order = query["order"].ToString() is { Length: > 0 } o ? o : "desc";
        if (order is not ("asc" or "desc"))
        {
            throw GatewayException.Invalid("order must be asc or desc", "order");
        }

        var items = await store.GetInputItemsAsync(id, KeyScope(context), context.RequestAborted) ?? throw ResponseStore.NotFound(id);
        IEnumerable<ResponseItem> ordered = order == "asc" ? items : items.Reverse();
        if (query["after"].ToString() is { Length: > 0 } after)
        {
            ordered = ordered.SkipWhile(item => item.Id != after).Skip(1);
        }

        var page = ordered.Take(limit + 1).ToList();
        var data = page.Take(limit).ToList();
        await JsonResponses.WriteJsonAsync(context, new ResponseItemList
        {
            Data = data,
            FirstId = data.FirstOrDefault()?.Id,
            LastId = data.LastOrDefault()?.Id,
            HasMore = page.Count > limit,
        }, ResponsesJsonContext.Default.ResponseItemList);
    }

    /// <summary>Stored responses belong to the caller's key (open mode: the empty scope).</summary>
    private static string KeyScope(HttpContext context) => context.GetPlatformAuth()?.Key?.Id ?? string.Empty;
}
