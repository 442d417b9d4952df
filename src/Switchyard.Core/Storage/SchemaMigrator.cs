using System.Data.Common;
using System.Globalization;

namespace Switchyard.Storage;

/// <summary>One schema version: the same change written for each engine.</summary>
/// <param name="Version">Strictly increasing version number.</param>
/// <param name="Name">What the migration does.</param>
/// <param name="Sqlite">The SQLite statements.</param>
/// <param name="PostgreSql">The PostgreSQL statements.</param>
public sealed record Migration(int Version, string Name, string Sqlite, string PostgreSql);

/// <summary>
/// Versioned schema migrations, run on start for both engines. Each version is applied once, in its own
/// transaction, and recorded in <c>schema_migrations</c>; concurrent starters (replicas, the CLI) serialize on
/// a PostgreSQL advisory lock or SQLite's write lock.
/// </summary>
public static class SchemaMigrator
{
    private const long AdvisoryLockId = 0x5357_5943_4844; // "SWYCHD"

    /// <summary>All migrations, oldest first.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "keys, ledger, limits",
            """
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, secret_hash BLOB NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT NULL,
                max_concurrency INTEGER NULL, rpm INTEGER NULL, tpm INTEGER NULL, budget_usd REAL NULL,
                spent_usd REAL NOT NULL DEFAULT 0, models TEXT NULL);
            CREATE INDEX ix_api_keys_name ON api_keys(name);
            CREATE TABLE requests (
                request_id TEXT PRIMARY KEY, started_at TEXT NOT NULL, key_id TEXT NULL, key_name TEXT NULL, format TEXT NOT NULL,
                endpoint TEXT NOT NULL, requested_model TEXT NULL, served_model TEXT NULL, remapped INTEGER NOT NULL, provider TEXT NULL,
                route TEXT NULL, stream INTEGER NOT NULL, status INTEGER NOT NULL, error_type TEXT NULL, client_disconnected INTEGER NOT NULL,
                stop_reason TEXT NULL, input_tokens INTEGER NOT NULL, cache_hit_tokens INTEGER NOT NULL, cache_miss_tokens INTEGER NOT NULL,
                output_tokens INTEGER NOT NULL, reasoning_tokens INTEGER NOT NULL, cost_usd REAL NOT NULL, retries INTEGER NOT NULL,
                latency_ms REAL NULL, ttft_ms REAL NULL, upstream_ms REAL NULL);
            CREATE INDEX ix_requests_started ON requests(started_at);
            CREATE INDEX ix_requests_key_started ON requests(key_id, started_at);
            CREATE TABLE limit_leases (id TEXT PRIMARY KEY, scope TEXT NOT NULL, holder TEXT NOT NULL, expires_at TEXT NOT NULL);
            CREATE INDEX ix_limit_leases_scope ON limit_leases(scope);
            CREATE TABLE rate_windows (scope TEXT NOT NULL, window_start INTEGER NOT NULL, amount INTEGER NOT NULL, PRIMARY KEY (scope, window_start));
            """,
            """
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, secret_hash BYTEA NOT NULL, created_at TIMESTAMPTZ NOT NULL, revoked_at TIMESTAMPTZ NULL,
                max_concurrency INTEGER NULL, rpm INTEGER NULL, tpm INTEGER NULL, budget_usd NUMERIC(24,12) NULL,
                spent_usd NUMERIC(24,12) NOT NULL DEFAULT 0, models TEXT NULL);
            CREATE INDEX ix_api_keys_name ON api_keys(name);
            CREATE TABLE requests (
                request_id TEXT PRIMARY KEY, started_at TIMESTAMPTZ NOT NULL, key_id TEXT NULL, key_name TEXT NULL, format TEXT NOT NULL,
                endpoint TEXT NOT NULL, requested_model TEXT NULL, served_model TEXT NULL, remapped BOOLEAN NOT NULL, provider TEXT NULL,
                route TEXT NULL, stream BOOLEAN NOT NULL, status INTEGER NOT NULL, error_type TEXT NULL, client_disconnected BOOLEAN NOT NULL,
                stop_reason TEXT NULL, input_tokens INTEGER NOT NULL, cache_hit_tokens INTEGER NOT NULL, cache_miss_tokens INTEGER NOT NULL,
                output_tokens INTEGER NOT NULL, reasoning_tokens INTEGER NOT NULL, cost_usd NUMERIC(24,12) NOT NULL, retries INTEGER NOT NULL,
                latency_ms DOUBLE PRECISION NULL, ttft_ms DOUBLE PRECISION NULL, upstream_ms DOUBLE PRECISION NULL);
            CREATE INDEX ix_requests_started ON requests(started_at);
            CREATE INDEX ix_requests_key_started ON requests(key_id, started_at);
            CREATE TABLE limit_leases (id TEXT PRIMARY KEY, scope TEXT NOT NULL, holder TEXT NOT NULL, expires_at TIMESTAMPTZ NOT NULL);
            CREATE INDEX ix_limit_leases_scope ON limit_leases(scope);
            CREATE TABLE rate_windows (scope TEXT NOT NULL, window_start BIGINT NOT NULL, amount BIGINT NOT NULL, PRIMARY KEY (scope, window_start));
            """),
        new(2, "shared reasoning memory",
            """
            CREATE TABLE reasoning_memory (key TEXT PRIMARY KEY, reasoning TEXT NOT NULL, signature TEXT NULL, stored_at TEXT NOT NULL);
            CREATE INDEX ix_reasoning_memory_stored_at ON reasoning_memory(stored_at);
            """,
            """
            CREATE TABLE reasoning_memory (key TEXT PRIMARY KEY, reasoning TEXT NOT NULL, signature TEXT NULL, stored_at TIMESTAMPTZ NOT NULL);
            CREATE INDEX ix_reasoning_memory_stored_at ON reasoning_memory(stored_at);
            """),
        new(3, "request decisions, retained request bodies",
            """
            ALTER TABLE requests ADD COLUMN decisions TEXT NULL;
            CREATE TABLE request_bodies (request_id TEXT PRIMARY KEY, expires_at TEXT NOT NULL, truncated INTEGER NOT NULL, body TEXT NOT NULL);
            CREATE INDEX ix_request_bodies_expires ON request_bodies(expires_at);
            """,
            """
            ALTER TABLE requests ADD COLUMN decisions TEXT NULL;
            CREATE TABLE request_bodies (request_id TEXT PRIMARY KEY, expires_at TIMESTAMPTZ NOT NULL, truncated BOOLEAN NOT NULL, body TEXT NOT NULL);
            CREATE INDEX ix_request_bodies_expires ON request_bodies(expires_at);
            """),
        new(4, "stored responses (Responses API)",
            """
            CREATE TABLE responses (
                id TEXT PRIMARY KEY, key_scope TEXT NOT NULL, previous_response_id TEXT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
                input_items TEXT NOT NULL, response TEXT NOT NULL);
            CREATE INDEX ix_responses_expires_at ON responses(expires_at);
            """,
            """
            CREATE TABLE responses (
                id TEXT PRIMARY KEY, key_scope TEXT NOT NULL, previous_response_id TEXT NULL, created_at TIMESTAMPTZ NOT NULL, expires_at TIMESTAMPTZ NOT NULL,
                input_items TEXT NOT NULL, response TEXT NOT NULL);
            CREATE INDEX ix_responses_expires_at ON responses(expires_at);
            """),
    ];

    /// <summary>The newest schema version.</summary>
    public static int LatestVersion => Migrations[^1].Version;

    /// <summary>Applies every migration not applied yet; returns the versions applied now.</summary>
    public static async Task<IReadOnlyList<int>> MigrateAsync(PlatformDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        var applied = new List<int>();
        await using var connection = await database.OpenAsync(cancellationToken);
        var postgres = database.Provider == StorageProvider.PostgreSql;
        if (postgres)
        {
            await Execute(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockId.ToString(CultureInfo.InvariantCulture)})", cancellationToken);
        }
        else
        {
            await Execute(connection, null, "PRAGMA journal_mode=WAL", cancellationToken);
        }

        try
        {
            await Execute(connection, null, postgres
                ? "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
                : "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
                cancellationToken);
            foreach (var migration in Migrations)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using (var check = PlatformDatabase.Command(connection, "SELECT COUNT(*) FROM schema_migrations WHERE version = @v", transaction,
                    ("v", migration.Version)))
                {
                    if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0)
                    {
                        await transaction.RollbackAsync(cancellationToken);
                        continue;
                    }
                }

                await Execute(connection, transaction, postgres ? migration.PostgreSql : migration.Sqlite, cancellationToken);
                await using (var insert = PlatformDatabase.Command(connection,
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)", transaction,
                    ("v", migration.Version), ("n", migration.Name), ("t", database.Time(DateTimeOffset.UtcNow))))
                {
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                applied.Add(migration.Version);
            }
        }
        finally
        {
            if (postgres)
            {
                await Execute(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockId.ToString(CultureInfo.InvariantCulture)})", CancellationToken.None);
            }
        }

        return applied;
    }

    /// <summary>The highest applied version (0 for an empty database).</summary>
    public static async Task<int> CurrentVersionAsync(PlatformDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = await database.OpenAsync(cancellationToken);
        try
        {
            await using var command = PlatformDatabase.Command(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        catch (DbException)
        {
            return 0;
        }
    }

    private static async Task Execute(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = PlatformDatabase.Command(connection, sql, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
