using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Switchyard.Accounting;
using Switchyard.Errors;
using Switchyard.Keys;

namespace Switchyard.Platform;

/// <summary>The balance endpoint and the admin API.</summary>
internal static class PlatformEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/user/balance", BalanceAsync);
        app.MapGet("/v1/user/balance", BalanceAsync);
        app.MapGet("/admin/keys", ListKeysAsync);
        app.MapPost("/admin/keys", CreateKeyAsync);
        app.MapGet("/admin/keys/{id}", GetKeyAsync);
        app.MapDelete("/admin/keys/{id}", RevokeKeyAsync);
        app.MapPost("/admin/keys/{id}/revoke", RevokeKeyAsync);
        app.MapGet("/admin/usage", UsageAsync);
        app.MapGet("/admin/requests", RequestsAsync);
    }

    private static async Task BalanceAsync(HttpContext context)
    {
        var service = context.RequestServices.GetRequiredService<PlatformService>();
        var auth = context.GetPlatformAuth()
            ?? await service.AuthenticateAnyAsync(PlatformHttp.PresentedKeys(context.Request), PlatformHttp.IsLoopback(context), context.RequestAborted);
        auth.ThrowIfRejected();
        if (auth.Key?.BudgetUsd is null)
        {
            // No Switchyard budget for this caller: the upstream account's balance is the one that matters.
            await Endpoints.ChatCompletionsEndpoints.UpstreamBalanceAsync(context);
            return;
        }

        var balance = await service.GetBalanceAsync(auth.Key, context.RequestAborted);
        await WriteAsync(context, balance, PlatformJsonContext.Default.BalanceResponse);
    }

    private static async Task ListKeysAsync(HttpContext context)
    {
        var runtime = Admin(context);
        var keys = await runtime.Keys.ListAsync(includeRevoked: true, context.RequestAborted);
        await WriteAsync(context, new AdminList<AdminKey>([.. keys.Select(k => AdminKey.From(k))]), PlatformJsonContext.Default.AdminListAdminKey);
    }

    private static async Task CreateKeyAsync(HttpContext context)
    {
        var runtime = Admin(context);
        AdminCreateKey? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(context.Request.Body, PlatformJsonContext.Default.AdminCreateKey, context.RequestAborted);
        }
        catch (JsonException exception)
        {
            throw GatewayException.Invalid($"The body is not a valid key: {exception.Message}");
        }

        if (body is null || string.IsNullOrWhiteSpace(body.Name))
        {
            throw GatewayException.Invalid("A key needs a name.", "name");
        }

        CreatedKey created;
        try
        {
            created = await runtime.Keys.CreateAsync(new NewKey
            {
                Name = body.Name,
                MaxConcurrency = body.MaxConcurrency,
                RequestsPerMinute = body.Rpm,
                TokensPerMinute = body.Tpm,
                BudgetUsd = body.BudgetUsd,
                Models = body.Models ?? [],
            }, context.RequestAborted);
        }
        catch (ArgumentException exception)
        {
            throw GatewayException.Invalid(exception.Message.Split(" (Parameter")[0]);
        }

        await WriteAsync(context, AdminKey.From(created.Key, created.Secret), PlatformJsonContext.Default.AdminKey, StatusCodes.Status201Created);
    }

    private static async Task GetKeyAsync(HttpContext context)
    {
        var runtime = Admin(context);
        var key = await FindAsync(runtime, context);
        await WriteAsync(context, AdminKey.From(key), PlatformJsonContext.Default.AdminKey);
    }

    private static async Task RevokeKeyAsync(HttpContext context)
    {
        var runtime = Admin(context);
        var key = await FindAsync(runtime, context);
        var revoked = await runtime.Keys.RevokeAsync(key.Id, context.RequestAborted) ?? key;
        await WriteAsync(context, AdminKey.From(revoked), PlatformJsonContext.Default.AdminKey);
    }

    /// <summary>The <c>by</c> query parameter of usage summaries.</summary>
    internal static UsageGrouping Grouping(string by) => by switch
    {
        "" or "model" => UsageGrouping.Model,
        "key" => UsageGrouping.Key,
        "day" => UsageGrouping.Day,
        var other => throw GatewayException.Invalid($"by must be key, model or day, not '{other}'.", "by"),
    };

    private static async Task UsageAsync(HttpContext context)
    {
        var runtime = Admin(context);
        var since = Since(context.Request.Query["since"].ToString());
        var by = Grouping(context.Request.Query["by"].ToString());
        var rows = await runtime.Ledger.Store.SummarizeAsync(since, by, context.RequestAborted);
        await WriteAsync(context, new AdminList<UsageSummary>(rows), PlatformJsonContext.Default.AdminListUsageSummary);
    }

    private static async Task RequestsAsync(HttpContext context)
    {
        var runtime = Admin(context);
        var since = Since(context.Request.Query["since"].ToString()) ?? DateTimeOffset.UtcNow.AddDays(-1);
        var key = context.Request.Query["key"].ToString() is { Length: > 0 } k ? k : null;
        var limit = int.TryParse(context.Request.Query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 10_000) : 1000;
        var rows = await runtime.Ledger.Store.QueryAsync(since, key, limit, context.RequestAborted);
        await WriteAsync(context, new AdminList<RequestRecord>(rows), PlatformJsonContext.Default.AdminListRequestRecord);
    }

    private static async Task<KeyInfo> FindAsync(PlatformRuntime runtime, HttpContext context)
    {
        var id = context.Request.RouteValues["id"] as string ?? string.Empty;
        try
        {
            return await runtime.Keys.FindAsync(id, context.RequestAborted)
                ?? throw new GatewayException(GatewayErrorKind.NotFound, $"No API key '{id}'.");
        }
        catch (InvalidOperationException exception)
        {
            throw GatewayException.Invalid(exception.Message);
        }
    }

    /// <summary>Checks the admin key (constant time, throttled) and returns the runtime.</summary>
    private static PlatformRuntime Admin(HttpContext context)
    {
        var verdict = context.RequestServices.GetRequiredService<AdminAccess>().Check(context);
        return verdict.IsGranted ? context.RequestServices.GetRequiredService<PlatformRuntime>() : throw verdict.ToException();
    }

    internal static DateTimeOffset? Since(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        if (text.Length > 1 && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            var minutesPerUnit = char.ToLowerInvariant(text[^1]) switch
            {
                'm' => 1L,
                'h' => 60L,
                'd' => 24 * 60L,
                'w' => 7 * 24 * 60L,
                _ => 0L,
            };
            if (minutesPerUnit > 0)
            {
                var now = DateTimeOffset.UtcNow;
                if (amount > (long)(now - DateTimeOffset.MinValue).TotalMinutes / minutesPerUnit)
                {
                    throw GatewayException.Invalid($"since: '{text}' reaches back before the year 1.", "since");
                }

                return now - TimeSpan.FromMinutes(amount * minutesPerUnit);
            }
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return at;
        }

        throw GatewayException.Invalid($"since must be a time (2026-05-01, 2026-05-01T12:00Z) or a span back from now (30m, 24h, 7d), not '{text}'.", "since");
    }

    private static async Task WriteAsync<T>(HttpContext context, T value, JsonTypeInfo<T> typeInfo, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, typeInfo, context.RequestAborted);
    }
}
