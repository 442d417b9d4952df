using System.Net;

namespace Switchyard.Platform;

/// <summary>Per-request platform state on <see cref="HttpContext"/>, set by the gateway middleware.</summary>
public static class PlatformHttp
{
    private static readonly object AuthKey = new();

    /// <summary>Stores the caller's authentication for endpoints such as <c>/user/balance</c>.</summary>
    public static void SetPlatformAuth(this HttpContext context, AuthResult auth)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[AuthKey] = auth;
    }

    /// <summary>The caller's authentication, when the middleware stored it.</summary>
    public static AuthResult? GetPlatformAuth(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(AuthKey, out var value) ? value as AuthResult : null;
    }

    /// <summary>
    /// The keys the request presents: <c>x-api-key</c>, then <c>Authorization: Bearer</c> (empty and repeated values
    /// left out). Both are checked; either may be the valid one.
    /// </summary>
    public static IReadOnlyList<string> PresentedKeys(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var keys = new List<string>(2);
        if (request.Headers["x-api-key"].ToString().Trim() is { Length: > 0 } apiKey)
        {
            keys.Add(apiKey);
        }

        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization[7..].Trim() is { Length: > 0 } bearer &&
            !keys.Contains(bearer))
        {
            keys.Add(bearer);
        }

        return keys;
    }

    /// <summary>Whether the request came over a loopback connection.</summary>
    public static bool IsLoopback(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var remote = context.Connection.RemoteIpAddress;
        return remote is null || IPAddress.IsLoopback(remote);
    }

    /// <summary>Whether the path belongs to the admin API (which checks the admin key itself, not client keys).</summary>
    public static bool IsAdminPath(PathString path) => path.StartsWithSegments("/admin");
}
