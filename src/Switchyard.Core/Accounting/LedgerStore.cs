using System.Text.Json;
using System.Data.Common;
using System.Globalization;
using Switchyard.Storage;

namespace Switchyard.Accounting;

/// <summary>
/// The <c>requests</c> table: one row per request, inserted idempotently (by request id), with the key's spend
/// updated in the same transaction.
/// </summary>
public sealed class LedgerStore : IAsyncDisposable
{
    private const string Columns =
        "request_id, started_at, key_id, key_name, format, endpoint, requested_model, served_model, remapped, provider, route, stream, status, " +
        "error_type, client_disconnected, stop_reason, input_tokens, cache_hit_tokens, cache_miss_tokens, output_tokens, reasoning_tokens, " +
        "cost_usd, retries, latency_ms, ttft_ms, upstream_ms, decisions";

    private static readonly string[] InsertParameters =
    [
        "id", "started", "key", "keyname", "format", "endpoint", "requested", "served", "remapped", "provider", "route", "stream", "status",
        "error", "disconnected", "stop", "input", "hit", "miss", "output", "reasoning", "cost", "retries", "latency", "ttft", "upstream",
        "decisions",
    ];

    private readonly PlatformDatabase _database;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private InsertWriter? _writer;

    /// <summary>Creates a store over <paramref name="database"/> (migrated).</summary>
    public LedgerStore(PlatformDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <summary>The database.</summary>
    public PlatformDatabase Database => _database;

    /// <summary>Inserts records (already costed) in one transaction; records already present are skipped. Returns how many were new.</summary>
    /// <remarks>
    /// Inserts go through one connection that the store keeps open, with its INSERT and UPDATE prepared once: a
    /// batch costs one transaction, not a connection set-up, two statement compilations and a transaction. Calls
    /// are serialised (the ledger has one writer). <see cref="CloseWriterAsync"/> releases the connection.
    /// </remarks>
    public async Task<int> InsertAsync(IReadOnlyList<RequestRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return 0;
        }

        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var writer = _writer ??= await InsertWriter.OpenAsync(_database, cancellationToken);
            try
            {
                return await writer.InsertAsync(_database, records, cancellationToken);
            }
            catch
            {
                // The connection may be broken (a failover, a full disk): start again from a fresh one next time.
                _writer = null;
                await writer.DisposeAsync();
                throw;
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Closes the connection kept for inserts (the next insert opens a new one).</summary>
    public async Task CloseWriterAsync()
    {
        await _writeGate.WaitAsync();
        try
        {
            if (_writer is { } writer)
            {
                _writer = null;
                await writer.DisposeAsync();
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Closes the insert connection; the store cannot insert afterwards.</summary>
    public async ValueTask DisposeAsync()
    {
        await CloseWriterAsync();
        _writeGate.Dispose();
    }

    /// <summary>Records since <paramref name="since"/> (oldest first), optionally for one key.</summary>
    public async Task<IReadOnlyList<RequestRecord>> QueryAsync(DateTimeOffset? since = null, string? keyId = null, int limit = 10_000,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = PlatformDatabase.Command(connection,
            $"SELECT {Columns} FROM requests WHERE started_at >= @since AND (@key IS NULL OR key_id = @key) ORDER BY started_at, request_id LIMIT @limit",
            null, ("since", _database.Time(since ?? DateTimeOffset.UnixEpoch)), ("key", keyId), ("limit", limit));
        if (_database.Provider == StorageProvider.PostgreSql)
        {
            // Npgsql cannot infer the type of a NULL parameter used in "IS NULL".
            command.CommandText = command.CommandText.Replace("@key IS NULL", "@key::text IS NULL", StringComparison.Ordinal);
        }

        var records = new List<RequestRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(Read(reader));
        }

        return records;
    }

    /// <summary>The record with this request id, or null.</summary>
    public async Task<RequestRecord?> GetAsync(string requestId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = PlatformDatabase.Command(connection, $"SELECT {Columns} FROM requests WHERE request_id = @id", null, ("id", requestId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Input plus output tokens of a key's requests that started at or after <paramref name="since"/>.</summary>
    public async Task<long> TokensSinceAsync(string keyId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = PlatformDatabase.Command(connection,
            "SELECT COALESCE(SUM(input_tokens + output_tokens), 0) FROM requests WHERE key_id = @key AND started_at >= @since", null,
            ("key", keyId), ("since", _database.Time(since)));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>A usage report since <paramref name="since"/>, grouped by key, model or day, largest cost first (days in order).</summary>
    public async Task<IReadOnlyList<UsageSummary>> SummarizeAsync(DateTimeOffset? since, UsageGrouping by, CancellationToken cancellationToken = default)
    {
        var postgres = _database.Provider == StorageProvider.PostgreSql;
        var group = by switch
        {
            UsageGrouping.Key => "COALESCE(key_name, '(open)')",
            UsageGrouping.Model => "COALESCE(served_model, COALESCE(requested_model, '(none)'))",
            _ => postgres ? "to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')" : "substr(started_at, 1, 10)",
        };
        var failed = postgres
            ? "(status >= 400 OR error_type IS NOT NULL OR client_disconnected)"
            : "(status >= 400 OR error_type IS NOT NULL OR client_disconnected <> 0)";
        var order = by == UsageGrouping.Day ? "1" : "9 DESC, 1";
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = PlatformDatabase.Command(connection,
            $"SELECT {group}, COUNT(*), SUM(CASE WHEN {failed} THEN 1 ELSE 0 END), SUM(input_tokens), SUM(cache_hit_tokens), " +
            $"SUM(cache_miss_tokens), SUM(output_tokens), SUM(reasoning_tokens), SUM(cost_usd) FROM requests WHERE started_at >= @since " +
            $"GROUP BY {group} ORDER BY {order}", null, ("since", _database.Time(since ?? DateTimeOffset.UnixEpoch)));
        var rows = new List<UsageSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new UsageSummary
            {
                Group = reader.GetString(0),
                Requests = Long(reader, 1),
                Errors = Long(reader, 2),
                InputTokens = Long(reader, 3),
                CacheHitTokens = Long(reader, 4),
                CacheMissTokens = Long(reader, 5),
                OutputTokens = Long(reader, 6),
                ReasoningTokens = Long(reader, 7),
                CostUsd = PlatformDatabase.ReadMoney(reader, 8),
            });
        }

        return rows;
    }

    private static long Long(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? 0 : Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static int Int(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? 0 : Convert.ToInt32(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static bool Bool(DbDataReader reader, int ordinal) =>
        !reader.IsDBNull(ordinal) && Convert.ToBoolean(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static TimeSpan? Millis(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : TimeSpan.FromMilliseconds(Convert.ToDouble(reader.GetValue(ordinal), CultureInfo.InvariantCulture));

    private static RequestRecord Read(DbDataReader reader) => new()
    {
        RequestId = reader.GetString(0),
        StartedAt = PlatformDatabase.ReadTime(reader, 1),
        KeyId = Text(reader, 2),
        KeyName = Text(reader, 3),
        Format = reader.GetString(4),
        Endpoint = reader.GetString(5),
        RequestedModel = Text(reader, 6),
        ServedModel = Text(reader, 7),
        Remapped = Bool(reader, 8),
        Provider = Text(reader, 9),
        Route = Text(reader, 10),
        Stream = Bool(reader, 11),
        Status = Int(reader, 12),
        ErrorType = Text(reader, 13),
        ClientDisconnected = Bool(reader, 14),
        StopReason = Text(reader, 15),
        InputTokens = Int(reader, 16),
        CacheHitTokens = Int(reader, 17),
        CacheMissTokens = Int(reader, 18),
        OutputTokens = Int(reader, 19),
        ReasoningTokens = Int(reader, 20),
        CostUsd = PlatformDatabase.ReadMoney(reader, 21),
        Retries = Int(reader, 22),
        Latency = Millis(reader, 23),
        TimeToFirstToken = Millis(reader, 24),
        UpstreamTime = Millis(reader, 25),
        Decisions = Text(reader, 26) is { Length: > 0 } decisions
            ? JsonSerializer.Deserialize(decisions, LedgerJsonContext.Default.DictionaryStringString)
            : null,
    };

    /// <summary>The insert side: a connection with the two statements of a batch prepared on it.</summary>
    private sealed class InsertWriter : IAsyncDisposable
    {
        private readonly DbConnection _connection;
        private readonly DbCommand _insert;
        private readonly DbCommand _spend;

        private InsertWriter(DbConnection connection, DbCommand insert, DbCommand spend)
        {
            _connection = connection;
            _insert = insert;
            _spend = spend;
        }

        public static async Task<InsertWriter> OpenAsync(PlatformDatabase database, CancellationToken cancellationToken)
        {
            var connection = await database.OpenAsync(cancellationToken);
            try
            {
                var insert = PlatformDatabase.Command(connection,
                    $"INSERT INTO requests ({Columns}) VALUES ({string.Join(", ", InsertParameters.Select(name => "@" + name))}) " +
                    "ON CONFLICT (request_id) DO NOTHING", null,
                    [.. InsertParameters.Select(name => (name, (object?)null))]);
                var spend = PlatformDatabase.Command(connection,
                    "UPDATE api_keys SET spent_usd = spent_usd + @cost WHERE id = @key", null, ("cost", null), ("key", null));
                return new InsertWriter(connection, insert, spend);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }

        public async Task<int> InsertAsync(PlatformDatabase database, IReadOnlyList<RequestRecord> records, CancellationToken cancellationToken)
        {
            await using var transaction = await _connection.BeginTransactionAsync(cancellationToken);
            _insert.Transaction = transaction;
            _spend.Transaction = transaction;
            var inserted = 0;
            foreach (var r in records)
            {
                var p = _insert.Parameters;
                p[0].Value = r.RequestId;
                p[1].Value = database.Time(r.StartedAt);
                p[2].Value = (object?)r.KeyId ?? DBNull.Value;
                p[3].Value = (object?)r.KeyName ?? DBNull.Value;
                p[4].Value = r.Format;
                p[5].Value = r.Endpoint;
                p[6].Value = (object?)r.RequestedModel ?? DBNull.Value;
                p[7].Value = (object?)r.ServedModel ?? DBNull.Value;
                p[8].Value = r.Remapped;
                p[9].Value = (object?)r.Provider ?? DBNull.Value;
                p[10].Value = (object?)r.Route ?? DBNull.Value;
                p[11].Value = r.Stream;
                p[12].Value = r.Status;
                p[13].Value = (object?)r.ErrorType ?? DBNull.Value;
                p[14].Value = r.ClientDisconnected;
                p[15].Value = (object?)r.StopReason ?? DBNull.Value;
                p[16].Value = r.InputTokens;
                p[17].Value = r.CacheHitTokens;
                p[18].Value = r.CacheMissTokens;
                p[19].Value = r.OutputTokens;
                p[20].Value = r.ReasoningTokens;
                p[21].Value = r.CostUsd;
                p[22].Value = r.Retries;
                p[23].Value = (object?)r.Latency?.TotalMilliseconds ?? DBNull.Value;
                p[24].Value = (object?)r.TimeToFirstToken?.TotalMilliseconds ?? DBNull.Value;
                p[25].Value = (object?)r.UpstreamTime?.TotalMilliseconds ?? DBNull.Value;
                p[26].Value = r.Decisions is { Count: > 0 } decisions
                    ? JsonSerializer.Serialize(decisions, LedgerJsonContext.Default.DictionaryStringString)
                    : DBNull.Value;
                if (await _insert.ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    continue;
                }

                inserted++;
                if (r.KeyId is not null && r.CostUsd != 0)
                {
                    _spend.Parameters[0].Value = r.CostUsd;
                    _spend.Parameters[1].Value = r.KeyId;
                    await _spend.ExecuteNonQueryAsync(cancellationToken);
                }
            }

            await transaction.CommitAsync(cancellationToken);
            return inserted;
        }

        public async ValueTask DisposeAsync()
        {
            await _insert.DisposeAsync();
            await _spend.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }
}
