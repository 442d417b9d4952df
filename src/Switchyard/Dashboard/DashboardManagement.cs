using System.Text.Json;
using Switchyard.Accounting;
using Switchyard.Cli;
using Switchyard.Errors;
using Switchyard.Hosting;
using Switchyard.Keys;
using Switchyard.Models;
using Switchyard.Platform;
using Switchyard.Providers;
using Switchyard.Routing;

namespace Switchyard.Dashboard;

/// <summary>
/// The dashboard's managing side: keys (create, revoke, edit limits, budget and model globs), providers and routes
/// with live circuit states, <c>routes explain</c> on a pasted request, and one request in detail. Called only once the
/// admin is signed in and, for changes, the CSRF token checked.
/// </summary>
internal static class DashboardManagement
{
    /// <summary>Handles <c>/api/…</c> paths of this part; false when the path is not one of them.</summary>
    public static async Task<bool> TryHandleAsync(HttpContext context, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var post = HttpMethods.IsPost(context.Request.Method);
        switch (segments)
        {
            case ["api", "keys"] when post:
                await CreateKeyAsync(context);
                return true;
            case ["api", "keys"]:
                await ListKeysAsync(context);
                return true;
            case ["api", "keys", var id, "revoke"] when post:
                await RevokeKeyAsync(context, id);
                return true;
            case ["api", "keys", var id] when post:
                await UpdateKeyAsync(context, id);
                return true;
            case ["api", "providers"]:
                await ProvidersAsync(context);
                return true;
            case ["api", "explain"] when post:
                await ExplainAsync(context);
                return true;
            case ["api", "requests", var id]:
                await RequestDetailAsync(context, id);
                return true;
            default:
                return false;
        }
    }

    private static PlatformRuntime Runtime(HttpContext context) => context.RequestServices.GetRequiredService<PlatformRuntime>();

    private static async Task ListKeysAsync(HttpContext context)
    {
        var keys = await Runtime(context).Keys.ListAsync(includeRevoked: true, context.RequestAborted);
        await WriteAsync(context, new AdminList<AdminKey>([.. keys.Select(k => AdminKey.From(k))]), PlatformJsonContext.Default.AdminListAdminKey);
    }

    private static async Task CreateKeyAsync(HttpContext context)
    {
        var form = await ReadAsync(context, PlatformJsonContext.Default.AdminCreateKey);
        var created = await Runtime(context).Keys.CreateAsync(Spec(form, form.Name), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status201Created;
        await WriteAsync(context, AdminKey.From(created.Key, created.Secret), PlatformJsonContext.Default.AdminKey);
    }

    private static async Task UpdateKeyAsync(HttpContext context, string id)
    {
        var form = await ReadAsync(context, PlatformJsonContext.Default.AdminCreateKey);
        var keys = Runtime(context).Keys;
        var existing = await keys.GetAsync(id, context.RequestAborted) ?? throw new GatewayException(GatewayErrorKind.NotFound, $"No API key '{id}'.");
        var updated = await keys.UpdateAsync(id, Spec(form, existing.Name), context.RequestAborted)
            ?? throw new GatewayException(GatewayErrorKind.NotFound, $"No API key '{id}'.");
        await WriteAsync(context, AdminKey.From(updated), PlatformJsonContext.Default.AdminKey);
    }

    private static async Task RevokeKeyAsync(HttpContext context, string id)
    {
        var keys = Runtime(context).Keys;
        // By id only: a name could match another key than the row the admin clicked.
        _ = await keys.GetAsync(id, context.RequestAborted) ?? throw new GatewayException(GatewayErrorKind.NotFound, $"No API key '{id}'.");
        var revoked = await keys.RevokeAsync(id, context.RequestAborted);
        await WriteAsync(context, AdminKey.From(revoked!), PlatformJsonContext.Default.AdminKey);
    }

    private static NewKey Spec(AdminCreateKey form, string? name)
    {
        var spec = new NewKey
        {
            Name = name ?? string.Empty,
            MaxConcurrency = form.MaxConcurrency,
            RequestsPerMinute = form.Rpm,
            TokensPerMinute = form.Tpm,
            BudgetUsd = form.BudgetUsd,
            Models = [.. (form.Models ?? []).Select(m => m.Trim()).Where(m => m.Length > 0)],
        };
        try
        {
            spec.Validate();
        }
        catch (ArgumentException exception)
        {
            throw GatewayException.Invalid(exception.Message.Split(" (Parameter")[0]);
        }

        return spec;
    }

    private static async Task ProvidersAsync(HttpContext context)
    {
        var providers = context.RequestServices.GetRequiredService<ProviderRegistry>();
        var router = context.RequestServices.GetRequiredService<Router>();
        var views = providers.All.Select(provider => new ProviderView(
            provider.Name,
            provider.Kind == ProviderKind.Anthropic ? "anthropic" : "openai",
            providers.Endpoints(provider.Name).Any(e => e.Breaker.IsAvailable),
            [.. providers.Endpoints(provider.Name).Select(e => new EndpointView(e.Id, e.Options.BaseUrl.ToString(),
                Endpoints.ReadinessEndpoints.CircuitName(e.Breaker.State), e.Breaker.ConsecutiveFailures, e.Outstanding))])).ToList();
        using var routes = new StringWriter();
        if (router.Routes.Count > 0)
        {
            await RoutesCommand.ListAsync(router, routes);
        }

        await WriteAsync(context, new ProvidersAnswer(views, routes.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)),
            DashboardJsonContext.Default.ProvidersAnswer);
    }

    private static async Task ExplainAsync(HttpContext context)
    {
        var form = await ReadAsync(context, DashboardJsonContext.Default.ExplainForm);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(form.Request ?? string.Empty);
        }
        catch (JsonException exception)
        {
            throw GatewayException.Invalid("The pasted request is not JSON: " + exception.Message);
        }

        using (document)
        {
            var services = context.RequestServices;
            var explanation = RouteExplainer.Explain(document, form.OpenAI, services.GetRequiredService<Router>(),
                services.GetRequiredService<ModelCatalog>(), services.GetRequiredService<SwitchyardOptions>().Translation);
            await WriteAsync(context, new ExplainAnswer(explanation.Rejected, explanation.Lines), DashboardJsonContext.Default.ExplainAnswer);
        }
    }

    private static async Task RequestDetailAsync(HttpContext context, string id)
    {
        var runtime = Runtime(context);
        var record = await runtime.Ledger.Store.GetAsync(id, context.RequestAborted)
            ?? throw new GatewayException(GatewayErrorKind.NotFound, $"No request '{id}' in the ledger (yet).");
        var retained = context.RequestServices.GetRequiredService<SwitchyardOptions>().RequestBodies.Retain;
        var body = await runtime.Bodies.GetAsync(id, DateTimeOffset.UtcNow, context.RequestAborted);
        await WriteAsync(context, new RequestDetail(record, body?.Body, body?.Truncated ?? false, body?.ExpiresAt, retained),
            DashboardJsonContext.Default.RequestDetail);
    }

    private static async Task<T> ReadAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted)
                ?? throw GatewayException.Invalid("The request body is empty.");
        }
        catch (JsonException exception)
        {
            throw GatewayException.Invalid("The request body is not valid JSON: " + exception.Message);
        }
    }

    private static async Task WriteAsync<T>(HttpContext context, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted);
    }
}
