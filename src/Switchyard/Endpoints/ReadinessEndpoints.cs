using System.Text.Json.Nodes;
using Switchyard.Platform;
using Switchyard.Providers;
using Switchyard.Routing;

namespace Switchyard.Endpoints;

/// <summary>
/// <c>GET /readyz</c>: 200 when the configuration is valid (the routes in force, no refused reload) and the storage
/// answers a query; 503 otherwise. The body lists the checks and every provider endpoint's circuit state.
/// </summary>
internal static class ReadinessEndpoints
{
    public static void MapReadiness(this IEndpointRouteBuilder app)
    {
        app.MapGet("/readyz", ReadyAsync);
    }

    private static async Task ReadyAsync(HttpContext context, PlatformService platform, ProviderRegistry providers, Router router)
    {
        var storage = "ok";
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await using var connection = await platform.Runtime.Database.OpenAsync(timeout.Token);
            await using var command = Storage.PlatformDatabase.Command(connection, "SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            storage = "unreachable: " + exception.Message;
        }

        var configuration = router.ReloadError is null ? "ok" : "last reload refused: " + router.ReloadError;
        var providerStates = new JsonObject();
        foreach (var provider in providers.All)
        {
            var endpoints = new JsonArray();
            foreach (var endpoint in providers.Endpoints(provider.Name))
            {
                endpoints.Add((JsonNode)new JsonObject
                {
                    ["endpoint"] = endpoint.Id,
                    ["base_url"] = endpoint.Options.BaseUrl.ToString(),
                    ["circuit"] = endpoint.Breaker.State switch
                    {
                        Resilience.CircuitState.Open => "open",
                        Resilience.CircuitState.HalfOpen => "half_open",
                        _ => "closed",
                    },
                    ["consecutive_failures"] = endpoint.Breaker.ConsecutiveFailures,
                    ["outstanding"] = endpoint.Outstanding,
                });
            }

            providerStates[provider.Name] = new JsonObject
            {
                ["kind"] = provider.Kind == ProviderKind.Anthropic ? "anthropic" : "openai",
                ["available"] = providers.Endpoints(provider.Name).Any(e => e.Breaker.IsAvailable),
                ["endpoints"] = endpoints,
            };
        }

        var ready = storage == "ok";
        var body = new JsonObject
        {
            ["status"] = ready ? "ready" : "not_ready",
            ["checks"] = new JsonObject
            {
                ["configuration"] = configuration,
                ["storage"] = storage,
                ["routes"] = router.Routes.Count,
            },
            ["providers"] = providerStates,
        };
        context.Response.StatusCode = ready ? 200 : 503;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
