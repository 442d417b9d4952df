using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Switchyard.Accounting;
using Switchyard.Errors;
using Switchyard.Observability;
using Switchyard.Platform;

namespace Switchyard.Dashboard;

/// <summary>
/// The web dashboard under <c>/dashboard</c> and <c>GET /admin/stats</c>. Access needs the admin key
/// (<c>Switchyard:Admin:Key</c>): sent as <c>x-api-key</c>/<c>Authorization: Bearer</c>, entered in the login form
/// (which sets an HttpOnly, SameSite=Strict cookie holding an HMAC of the key, never the key), or passed once as
/// <c>/dashboard?token=…</c> (exchanged for the cookie and redirected to a URL without it).
/// </summary>
internal static class DashboardEndpoints
{
    public const string CookieName = "switchyard_dashboard";

    public static void Configure(IApplicationBuilder app) => app.Run(HandleAsync);

    /// <summary><c>GET /admin/stats</c>: the live figures as JSON.</summary>
    public static async Task AdminStatsAsync(HttpContext context)
    {
        var verdict = Access(context).Check(context);
        if (!verdict.IsGranted)
        {
            throw verdict.ToException();
        }

        await WriteStatsAsync(context);
    }

    /// <summary>Whether the request presents the admin key (<c>x-api-key</c> or <c>Authorization: Bearer</c>); false when none is configured.</summary>
    internal static bool IsAdmin(HttpContext context) => Access(context).Check(context).IsGranted;

    private static async Task HandleAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        var path = context.Request.Path.Value is { Length: > 0 } p ? p : "/";
        if (AdminKey(context) is not { } adminKey)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("The dashboard is disabled: set Switchyard:Admin:Key to enable it.\n");
            return;
        }

        if (string.IsNullOrEmpty(context.Request.Path.Value))
        {
            // Relative links in the page need the trailing slash.
            context.Response.Redirect(Base(context) + "/" + context.Request.QueryString);
            return;
        }

        if (path is "/app.js" or "/app.css")
        {
            await WriteAssetAsync(context, path[1..]);
            return;
        }

        if (path == "/login" && HttpMethods.IsPost(context.Request.Method))
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var login = Access(context).Check(context.Connection.RemoteIpAddress, [form["key"].ToString()]);
            if (login.IsGranted)
            {
                SetCookie(context, adminKey);
                context.Response.Redirect(Base(context) + "/", permanent: false);
                context.Response.StatusCode = StatusCodes.Status303SeeOther;
                return;
            }

            await WriteRefusedLoginAsync(context, login);
            return;
        }

        if (path == "/logout")
        {
            context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = Base(context) });
            context.Response.Redirect(Base(context) + "/");
            return;
        }

        if (context.Request.Query.TryGetValue("token", out var token) && path == "/")
        {
            var exchange = Access(context).Check(context.Connection.RemoteIpAddress, [token.ToString()]);
            if (exchange.IsGranted)
            {
                SetCookie(context, adminKey);
                context.Response.Redirect(Base(context) + "/");
                return;
            }

            await WriteRefusedLoginAsync(context, exchange);
            return;
        }

        var signedIn = context.Request.Cookies.TryGetValue(CookieName, out var cookie) && FixedEquals(cookie, CookieValue(adminKey));
        var byHeader = Access(context).Check(context) is var header && header.IsGranted;
        var verdict = !byHeader && signedIn ? new AdminVerdict(AdminOutcome.Granted) : header;
        if (!verdict.IsGranted)
        {
            if (path.StartsWith("/api/", StringComparison.Ordinal))
            {
                if (verdict.Outcome == AdminOutcome.Throttled)
                {
                    context.Response.Headers.RetryAfter = verdict.RetryAfterSeconds;
                }

                await WriteJsonErrorAsync(context, verdict.Outcome == AdminOutcome.Throttled ? StatusCodes.Status429TooManyRequests : StatusCodes.Status401Unauthorized,
                    verdict.Outcome == AdminOutcome.Throttled ? verdict.ToException().Message : "Sign in to the dashboard with the admin key.");
                return;
            }

            if (verdict.Outcome == AdminOutcome.Missing)
            {
                await WriteLoginAsync(context, StatusCodes.Status401Unauthorized, null);
                return;
            }

            await WriteRefusedLoginAsync(context, verdict);
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !byHeader &&
            CsrfRejection(context, adminKey) is { } rejection)
        {
            await WriteJsonErrorAsync(context, StatusCodes.Status403Forbidden, rejection);
            return;
        }

        try
        {
            switch (path)
            {
                case "/api/session":
                    context.Response.ContentType = "application/json";
                    await JsonSerializer.SerializeAsync(context.Response.Body, new DashboardSession(CsrfToken(adminKey),
                        context.RequestServices.GetRequiredService<Hosting.SwitchyardOptions>().RequestBodies.Retain),
                        DashboardJsonContext.Default.DashboardSession, context.RequestAborted);
                    return;
                case "/":
                    if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
                    {
                        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                        return;
                    }

                    await WriteAssetAsync(context, "index.html");
                    return;
                case "/api/stats":
                    await WriteStatsAsync(context);
                    return;
                case "/api/usage":
                    await WriteUsageAsync(context);
                    return;
                case "/api/requests":
                    await WriteRequestsAsync(context);
                    return;
                default:
                    if (!await DashboardManagement.TryHandleAsync(context, path))
                    {
                        context.Response.StatusCode = StatusCodes.Status404NotFound;
                    }

                    return;
            }
        }
        catch (GatewayException exception) when (!context.Response.HasStarted)
        {
            await WriteJsonErrorAsync(context, exception.Kind.StatusCode() is var status and < 500 ? status : StatusCodes.Status400BadRequest, exception.Message);
        }
        catch (Exception exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            // The dashboard is served before the gateway middleware, which writes such errors for the API.
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardEndpoints))
                .LogError(exception, "Dashboard request {Path} failed unexpectedly", LogText.Escape(path));
            await WriteJsonErrorAsync(context, StatusCodes.Status500InternalServerError, "Internal error in Switchyard.");
        }
    }

    private static async Task WriteStatsAsync(HttpContext context)
    {
        var stats = context.RequestServices.GetRequiredService<LiveStats>().Snapshot();
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, stats, DashboardJsonContext.Default.StatsSnapshot, context.RequestAborted);
    }

    private static async Task WriteUsageAsync(HttpContext context)
    {
        var runtime = context.RequestServices.GetRequiredService<PlatformRuntime>();
        var since = PlatformEndpoints.Since(context.Request.Query["since"].ToString());
        var by = PlatformEndpoints.Grouping(context.Request.Query["by"].ToString());
        var rows = await runtime.Ledger.Store.SummarizeAsync(since, by, context.RequestAborted);
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new AdminList<UsageSummary>(rows), PlatformJsonContext.Default.AdminListUsageSummary, context.RequestAborted);
    }

    private static async Task WriteRequestsAsync(HttpContext context)
    {
        var runtime = context.RequestServices.GetRequiredService<PlatformRuntime>();
        var since = PlatformEndpoints.Since(context.Request.Query["since"].ToString()) ?? DateTimeOffset.UtcNow.AddDays(-1);
        var key = context.Request.Query["key"].ToString() is { Length: > 0 } k ? k : null;
        var limit = int.TryParse(context.Request.Query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 10_000) : 500;
        var rows = await runtime.Ledger.Store.QueryAsync(since, key, limit, context.RequestAborted);
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new AdminList<RequestRecord>(rows), PlatformJsonContext.Default.AdminListRequestRecord, context.RequestAborted);
    }

    private static async Task WriteAssetAsync(HttpContext context, string name)
    {
        var asset = DashboardAssets.Get(name);
        if (asset is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = asset.Value.ContentType;
        if (name == "index.html")
        {
            context.Response.Headers.ContentSecurityPolicy =
                "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        }

        await context.Response.Body.WriteAsync(asset.Value.Content, context.RequestAborted);
    }

    private static async Task WriteLoginAsync(HttpContext context, int status, string? error)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
        var message = error is null ? string.Empty : $"<p class=\"error\" role=\"alert\">{WebUtility.HtmlEncode(error)}</p>";
        await context.Response.WriteAsync($$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Switchyard dashboard: sign in</title>
            <style>body{font:15px system-ui,sans-serif;background:#f4f5f7;color:#1d2330;display:grid;place-items:center;min-height:90vh}
            form{background:#fff;padding:24px 28px;border-radius:8px;box-shadow:0 1px 4px #0002;min-width:320px}
            input{width:100%;box-sizing:border-box;padding:8px;margin:8px 0 14px;font:inherit}button{padding:8px 16px;font:inherit}
            .error{color:#b42318}</style></head>
            <body><form method="post" action="{{Base(context)}}/login"><h1>Switchyard</h1>
            <label for="key">Admin key (<code>Switchyard:Admin:Key</code>)</label>
            <input id="key" name="key" type="password" autocomplete="current-password" autofocus required>{{message}}
            <button type="submit">Sign in</button></form></body></html>
            """);
    }

    private static Task WriteRefusedLoginAsync(HttpContext context, AdminVerdict verdict)
    {
        if (verdict.Outcome != AdminOutcome.Throttled)
        {
            return WriteLoginAsync(context, StatusCodes.Status401Unauthorized, "That is not the admin key.");
        }

        context.Response.Headers.RetryAfter = verdict.RetryAfterSeconds;
        return WriteLoginAsync(context, StatusCodes.Status429TooManyRequests, verdict.ToException().Message);
    }

    /// <summary>The dashboard API's error format: <c>{"error":"…"}</c>.</summary>
    internal static async Task WriteJsonErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($"{{\"error\":{JsonSerializer.Serialize(message, DashboardJsonContext.Default.String)}}}");
    }

    private static void SetCookie(HttpContext context, string adminKey) =>
        context.Response.Cookies.Append(CookieName, CookieValue(adminKey), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = Base(context),
            MaxAge = TimeSpan.FromDays(7),
        });

    private static string Base(HttpContext context) => context.Request.PathBase.Value is { Length: > 0 } b ? b : "/dashboard";

    private static string? AdminKey(HttpContext context) =>
        context.RequestServices.GetService<PlatformOptions>()?.Admin.Key is { Length: > 0 } key ? key : null;

    /// <summary>
    /// Why a state-changing request signed in by cookie is refused, or null: it must carry the session's CSRF token in
    /// <c>x-csrf-token</c> (a custom header, which a cross-site form cannot send and a cross-site script may not without
    /// CORS), be JSON, and come from this origin when the browser names one. The SameSite=Strict cookie is the first line.
    /// </summary>
    private static string? CsrfRejection(HttpContext context, string adminKey)
    {
        if (!FixedEquals(context.Request.Headers["x-csrf-token"].ToString(), CsrfToken(adminKey)))
        {
            return "Missing or wrong CSRF token: reload the dashboard.";
        }

        if (context.Request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return "Changes must be sent as application/json.";
        }

        var origin = context.Request.Headers.Origin.ToString();
        return origin.Length == 0 || string.Equals(origin, $"{context.Request.Scheme}://{context.Request.Host}", StringComparison.OrdinalIgnoreCase)
            ? null
            : "Cross-origin change refused.";
    }

    /// <summary>The CSRF token of the admin session: HMAC-SHA256(key, purpose), like the cookie but for another purpose.</summary>
    private static string CsrfToken(string adminKey) =>
        Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(adminKey), "switchyard-dashboard-csrf-v1"u8));

    /// <summary>The cookie proves knowledge of the admin key without holding it: HMAC-SHA256(key, purpose).</summary>
    private static string CookieValue(string adminKey) =>
        Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(adminKey), "switchyard-dashboard-session-v1"u8));

    private static AdminAccess Access(HttpContext context) => context.RequestServices.GetRequiredService<AdminAccess>();

    private static bool FixedEquals(string? a, string b) =>
        a is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
