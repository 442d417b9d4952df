using Switchyard.Anthropic;
using Switchyard.Errors;
using Switchyard.Lanes;
using Switchyard.Models;
using Switchyard.OpenAI;
using Switchyard.Providers;

namespace Switchyard.Endpoints;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c> in the Messages API's shapes.</summary>
internal static class ModelsEndpoints
{
    public static void MapModels(this IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "", "/anthropic" })
        {
            app.MapGet(prefix + "/v1/models", ListAsync);
            app.MapGet(prefix + "/v1/models/{id}", GetAsync);
        }

        app.MapGet("/models", ListAsync);
        app.MapGet("/models/{id}", GetAsync);
    }

    private static Task ListAsync(HttpContext context, ModelCatalog catalog, ProviderRegistry providers)
    {
        if (ClientFormats.Detect(context.Request) == ClientFormat.OpenAI)
        {
            return JsonResponses.WriteJsonAsync(context,
                new OpenAIModelList { Data = [.. catalog.Models.Select(m => ToOpenAI(m, providers))] },
                OpenAIJsonContext.Default.OpenAIModelList);
        }

        var query = context.Request.Query;
        var limit = 20;
        if (query.TryGetValue("limit", out var limitText) &&
            (!int.TryParse(limitText, out limit) || limit < 1 || limit > 1000))
        {
            throw GatewayException.Invalid("limit: must be an integer between 1 and 1000", "limit");
        }

        var all = catalog.Models;
        int start = 0, end = all.Count;
        if (query.TryGetValue("after_id", out var afterId) && afterId.ToString() is { Length: > 0 } after)
        {
            start = IndexOf(all, after) + 1;
        }

        if (query.TryGetValue("before_id", out var beforeId) && beforeId.ToString() is { Length: > 0 } before)
        {
            end = IndexOf(all, before);
            start = Math.Max(start, end - limit);
        }

        var page = all.Skip(start).Take(Math.Min(limit, Math.Max(0, end - start))).Select(ToInfo).ToList();
        var hasMore = query.ContainsKey("before_id") ? start > 0 : start + page.Count < end;
        return JsonResponses.WriteJsonAsync(context, new ModelList
        {
            Data = page,
            HasMore = hasMore,
            FirstId = page.Count > 0 ? page[0].Id : null,
            LastId = page.Count > 0 ? page[^1].Id : null,
        }, AnthropicJsonContext.Default.ModelList);
    }

    private static Task GetAsync(HttpContext context, ModelCatalog catalog, ProviderRegistry providers, string id)
    {
        var model = catalog.Find(id)
            ?? throw new GatewayException(GatewayErrorKind.NotFound, $"model: '{id}' not found", "model");
        return ClientFormats.Detect(context.Request) == ClientFormat.OpenAI
            ? JsonResponses.WriteJsonAsync(context, ToOpenAI(model, providers), OpenAIJsonContext.Default.OpenAIModel)
            : JsonResponses.WriteJsonAsync(context, ToInfo(model), AnthropicJsonContext.Default.ModelInfo);
    }

    private static OpenAIModel ToOpenAI(ModelEntry model, ProviderRegistry providers) => new()
    {
        Id = model.Id,
        Created = model.CreatedAt.ToUnixTimeSeconds(),
        OwnedBy = providers.Get(model.Provider).Name,
    };

    private static int IndexOf(IReadOnlyList<ModelEntry> models, string id)
    {
        for (var i = 0; i < models.Count; i++)
        {
            if (string.Equals(models[i].Id, id, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw GatewayException.Invalid($"'{id}' is not a model id", "after_id");
    }

    private static ModelInfo ToInfo(ModelEntry model) => new()
    {
        Id = model.Id,
        DisplayName = model.DisplayName ?? model.Id,
        CreatedAt = model.CreatedAt,
        MaxInputTokens = model.ContextWindow,
        MaxTokens = model.MaxOutputTokens,
    };
}
