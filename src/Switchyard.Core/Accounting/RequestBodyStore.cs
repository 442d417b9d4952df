using System.Globalization;
using Switchyard.Storage;

namespace Switchyard.Accounting;

/// <summary>A retained request body (opt-in), for the dashboard's request detail.</summary>
/// <param name="Body">The body as received, cut to the configured size.</param>
/// <param name="Truncated">Whether it was cut.</param>
/// <param name="ExpiresAt">When it is deleted.</param>
public sealed record RetainedBody(string Body, bool Truncated, DateTimeOffset ExpiresAt);

/// <summary>Request bodies kept for a bounded time (table <c>request_bodies</c>); expired ones are deleted as new ones arrive.</summary>
public sealed class RequestBodyStore(PlatformDatabase database)
{
    private long _writes;

    /// <summary>Keeps <paramref name="body"/> of <paramref name="requestId"/> until <paramref name="expiresAt"/>.</summary>
    public async Task StoreAsync(string requestId, string body, bool truncated, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        ArgumentNullException.ThrowIfNull(body);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var insert = PlatformDatabase.Command(connection,
            "INSERT INTO request_bodies (request_id, expires_at, truncated, body) VALUES (@id, @expires, @truncated, @body) ON CONFLICT (request_id) DO NOTHING",
            null, ("id", requestId), ("expires", database.Time(expiresAt)), ("truncated", truncated), ("body", body)))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        // Purging on every 64th write keeps the table bounded without a timer.
        if (Interlocked.Increment(ref _writes) % 64 == 1)
        {
            await PurgeAsync(DateTimeOffset.UtcNow, cancellationToken);
        }
    }

    /// <summary>The retained body of <paramref name="requestId"/>, or null (none kept, or expired).</summary>
    public async Task<RetainedBody?> GetAsync(string requestId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = PlatformDatabase.Command(connection,
            "SELECT body, truncated, expires_at FROM request_bodies WHERE request_id = @id AND expires_at > @now", null,
            ("id", requestId), ("now", database.Time(now)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new RetainedBody(reader.GetString(0), Convert.ToBoolean(reader.GetValue(1), CultureInfo.InvariantCulture), PlatformDatabase.ReadTime(reader, 2))
            : null;
    }

    /// <summary>Deletes the bodies that expired before <paramref name="now"/>; returns how many.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var delete = PlatformDatabase.Command(connection, "DELETE FROM request_bodies WHERE expires_at <= @now", null, ("now", database.Time(now)));
        return await delete.ExecuteNonQueryAsync(cancellationToken);
    }
}
