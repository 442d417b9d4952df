using System.Text.Json.Nodes;
using Switchyard.Platform;
using Switchyard.Providers;
using Switchyard.Routing;

namespace Switchyard.Endpoints;

/// <summary>
/// <c>GET /readyz</c>: 200 when the configuration is valid (the routes in force, no refused reload), the default
/// upstream has the key it needs and the storage answers a query; 503 otherwise. Anyone sees the status and, when not
/// ready, why (without addresses or error details); with the admin key, the body also lists the checks in full and
/// every provider endpoint's base URL and circuit state.
/// </summary>
internal static class ReadinessEndpoints
{
    public static void MapReadiness(this IEndpointRouteBuilder app)
    {
        app.MapGet("/readyz", ReadyAsync);
    }

    /// <summary>A circuit state as <c>/readyz</c> and the dashboard name it: <c>closed</c>, <c>half_open</c>, <c>open</c>.</summary>
    internal static string CircuitName(Resilience.CircuitState state) => state switch
    {
        Resilience.CircuitState.Open => "open",
        Resilience.CircuitState.HalfOpen => "half_open",
        _ => "closed",
    };

    private static async Task ReadyAsync(HttpContext context, PlatformService platform, ProviderRegistry providers, Router router, Hosting.SwitchyardOptions options)
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
                    ["circuit"] = CircuitName(endpoint.Breaker.State),
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

        var upstreamKey = Hosting.UpstreamKeyCheck.IsMissing(options) ? "missing: " + Hosting.UpstreamKeyCheck.Advice : "ok";
        var ready = storage == "ok" && upstreamKey == "ok";
        var reasons = new JsonArray();
        if (upstreamKey != "ok")
        {
            reasons.Add((JsonNode)Hosting.UpstreamKeyCheck.Advice);
        }

        if (storage != "ok")
        {
            reasons.Add((JsonNode)"The storage does not answer.");
        }

        var body = new JsonObject { ["status"] = ready ? "ready" : "not_ready" };
        if (!ready)
        {
            body["reasons"] = reasons;
        }

        if (Dashboard.DashboardEndpoints.IsAdmin(context))
        {
            body["checks"] = new JsonObject
            {
                ["configuration"] = configuration,
                ["upstream_key"] = upstreamKey,
                ["storage"] = storage,
                ["routes"] = router.Routes.Count,
            };
            body["providers"] = providerStates;
        }

        context.Response.StatusCode = ready ? 200 : 503;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
