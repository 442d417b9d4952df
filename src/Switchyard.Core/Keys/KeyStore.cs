using System.Data.Common;
using System.Globalization;
using Switchyard.Storage;

namespace Switchyard.Keys;

/// <summary>The outcome of checking a presented secret.</summary>
public enum KeyCheck
{
    /// <summary>The secret belongs to an active key.</summary>
    Valid,
    /// <summary>No key has this secret.</summary>
    Unknown,
    /// <summary>The key was revoked.</summary>
    Revoked,
}

/// <summary>
/// Client keys in the platform database. Every check reads the database (one indexed row), so a revocation made
/// by another replica or by the CLI in another process takes effect on the next request: there is no cache.
/// </summary>
/// <remarks>
/// "Does any key exist?" (open mode) is asked on every request while none does. With SQLite it is answered from a
/// change signal instead of a query: every <see cref="CreateAsync"/> (server, admin API or CLI, any process on the
/// same database file) writes the marker file <c>&lt;database&gt;.keys</c> after its insert, so a missing marker
/// after a query that found no key means there is still none (one <c>stat</c> instead of a connection and a
/// <c>COUNT(*)</c>). The database is also re-read at least once a second, for keys inserted by other means.
/// PostgreSQL replicas share no file system: there the query runs on every call, as before.
/// </remarks>
public sealed class KeyStore
{
    private const string Columns = "id, name, created_at, revoked_at, max_concurrency, rpm, tpm, budget_usd, spent_usd, models, secret_hash";
    private static readonly byte[] DummyHash = KeySecrets.Hash("sk-sy-dummy");
    private static readonly long RecheckTicks = System.Diagnostics.Stopwatch.Frequency;
    private readonly PlatformDatabase _database;
    private readonly string? _changeMarker;
    private volatile bool _keysExist;
    private long _emptyConfirmedAt;

    /// <summary>Creates a store over <paramref name="database"/> (migrated).</summary>
    public KeyStore(PlatformDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _changeMarker = database.FilePath is { } file ? file + ".keys" : null;
    }

    /// <summary>The file whose existence signals that a key was created (SQLite only; null for PostgreSQL).</summary>
    public string? ChangeMarkerPath => _changeMarker;

    /// <summary>Creates a key; the returned secret is never stored or shown again.</summary>
    /// <exception cref="ArgumentException">The specification is invalid.</exception>
    public async Task<CreatedKey> CreateAsync(NewKey spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        var id = KeySecrets.NewId();
        var secret = KeySecrets.NewSecret(id);
        var key = new KeyInfo
        {
            Id = id,
            Name = spec.Name.Trim(),
            CreatedAt = TruncateToMicroseconds(DateTimeOffset.UtcNow),
            MaxConcurrency = spec.MaxConcurrency,
            RequestsPerMinute = spec.RequestsPerMinute,
            TokensPerMinute = spec.TokensPerMinute,
            BudgetUsd = spec.BudgetUsd,
            Models = [.. spec.Models.Select(m => m.Trim())],
        };
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = PlatformDatabase.Command(connection,
            "INSERT INTO api_keys (id, name, secret_hash, created_at, max_concurrency, rpm, tpm, budget_usd, spent_usd, models) " +
            "VALUES (@id, @name, @hash, @created, @conc, @rpm, @tpm, @budget, 0, @models)", null,
            ("id", key.Id), ("name", key.Name), ("hash", KeySecrets.Hash(secret)), ("created", _database.Time(key.CreatedAt)),
            ("conc", key.MaxConcurrency), ("rpm", key.RequestsPerMinute), ("tpm", key.TokensPerMinute),
            ("budget", key.BudgetUsd), ("models", key.Models.Count == 0 ? null : string.Join('\n', key.Models)));
        await command.ExecuteNonQueryAsync(cancellationToken);
        _keysExist = true;
        SignalKeysExist();
        return new CreatedKey(key, secret);
    }

    /// <summary>All keys, newest first.</summary>
    public async Task<IReadOnlyList<KeyInfo>> ListAsync(bool includeRevoked = true, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = PlatformDatabase.Command(connection,
            $"SELECT {Columns} FROM api_keys {(includeRevoked ? "" : "WHERE revoked_at IS NULL ")}ORDER BY created_at DESC, id");
        var keys = new List<KeyInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(Read(reader));
        }

        return keys;
    }

    /// <summary>A key by id, or by name (the active key of that name; the newest if all are revoked).</summary>
    /// <exception cref="InvalidOperationException">Several active keys have that name.</exception>
    public async Task<KeyInfo?> FindAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idOrName);
        var byId = await GetAsync(idOrName.Trim(), cancellationToken);
        if (byId is not null)
        {
            return byId;
        }

        var named = (await ListAsync(true, cancellationToken)).Where(k => string.Equals(k.Name, idOrName.Trim(), StringComparison.Ordinal)).ToList();
        var active = named.Where(k => k.IsActive).ToList();
        if (active.Count > 1)
        {
            throw new InvalidOperationException($"{active.Count} active keys are named '{idOrName}'; use the key id ({string.Join(", ", active.Select(k => k.Id))}).");
        }

        return active.Count == 1 ? active[0] : named.FirstOrDefault();
    }

    /// <summary>A key by id.</summary>
    public async Task<KeyInfo?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var (key, _) = await ReadRowAsync(id, cancellationToken);
        return key;
    }

    /// <summary>
    /// Replaces a key's limits, budget and model globs (its name, secret and spending stay); applies to its next
    /// request on every replica. Returns the updated key, or null when no key has this id.
    /// </summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public async Task<KeyInfo?> UpdateAsync(string id, NewKey limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(limits);
        limits.Validate();
        await using (var connection = await _database.OpenAsync(cancellationToken))
        await using (var command = PlatformDatabase.Command(connection,
            "UPDATE api_keys SET max_concurrency = @conc, rpm = @rpm, tpm = @tpm, budget_usd = @budget, models = @models WHERE id = @id", null,
            ("conc", limits.MaxConcurrency), ("rpm", limits.RequestsPerMinute), ("tpm", limits.TokensPerMinute), ("budget", limits.BudgetUsd),
            ("models", limits.Models.Count == 0 ? null : string.Join('\n', limits.Models.Select(m => m.Trim()))), ("id", id)))
        {
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return null;
            }
        }

        return await GetAsync(id, cancellationToken);
    }

    /// <summary>Revokes a key (by id or name) at once, for every replica; returns it, or null when not found.</summary>
    public async Task<KeyInfo?> RevokeAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var key = await FindAsync(idOrName, cancellationToken);
        if (key is null)
        {
            return null;
        }

        if (key.IsActive)
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var command = PlatformDatabase.Command(connection,
                "UPDATE api_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL", null,
                ("now", _database.Time(DateTimeOffset.UtcNow)), ("id", key.Id));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return await GetAsync(key.Id, cancellationToken);
    }

    /// <summary>
    /// Checks a presented secret against the database: the row is found by the id embedded in the secret and the
    /// hashes are compared in constant time (a malformed or unknown secret costs the same comparison).
    /// </summary>
    public async Task<(KeyCheck Result, KeyInfo? Key)> VerifyAsync(string? secret, CancellationToken cancellationToken = default)
    {
        var presented = KeySecrets.Hash(secret ?? string.Empty);
        var id = KeySecrets.TryGetId(secret);
        var (key, storedHash) = id is null ? (null, null) : await ReadRowAsync(id, cancellationToken);
        var match = KeySecrets.HashEquals(presented, storedHash ?? DummyHash) && key is not null;
        if (!match)
        {
            return (KeyCheck.Unknown, null);
        }

        return key!.IsActive ? (KeyCheck.Valid, key) : (KeyCheck.Revoked, key);
    }

    /// <summary>Whether any key (active or revoked) is stored; once true it stays true (keys are never deleted).</summary>
    public async ValueTask<bool> AnyKeysAsync(CancellationToken cancellationToken = default)
    {
        if (_keysExist)
        {
            return true;
        }

        if (_changeMarker is not null && Interlocked.Read(ref _emptyConfirmedAt) is var confirmed and not 0 &&
            System.Diagnostics.Stopwatch.GetTimestamp() - confirmed < RecheckTicks && !File.Exists(_changeMarker))
        {
            return false;
        }

        var checkedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = PlatformDatabase.Command(connection, "SELECT COUNT(*) FROM api_keys");
        var count = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        if (count > 0)
        {
            _keysExist = true;
            SignalKeysExist();
            return true;
        }

        // The marker may exist without a key: a creation in progress, or a failed insert. Trust "none" only when
        // the marker is absent, checked after the query (a creation writes it after its insert).
        if (_changeMarker is not null && !File.Exists(_changeMarker))
        {
            Interlocked.Exchange(ref _emptyConfirmedAt, checkedAt);
        }

        return false;
    }

    private void SignalKeysExist()
    {
        if (_changeMarker is null || File.Exists(_changeMarker))
        {
            return;
        }

        try
        {
            File.WriteAllText(_changeMarker, "Keys exist in this database; Switchyard's open mode is over.\n");
        }
        catch (IOException)
        {
            // Best effort: without the marker, other processes still find the key within a second.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    private async Task<(KeyInfo? Key, byte[]? Hash)> ReadRowAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = PlatformDatabase.Command(connection, $"SELECT {Columns} FROM api_keys WHERE id = @id", null, ("id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return (null, null);
        }

        return (Read(reader), (byte[])reader.GetValue(10));
    }

    private static KeyInfo Read(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Name = reader.GetString(1),
        CreatedAt = PlatformDatabase.ReadTime(reader, 2),
        RevokedAt = PlatformDatabase.ReadTimeOrNull(reader, 3),
        MaxConcurrency = reader.IsDBNull(4) ? null : Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture),
        RequestsPerMinute = reader.IsDBNull(5) ? null : Convert.ToInt32(reader.GetValue(5), CultureInfo.InvariantCulture),
        TokensPerMinute = reader.IsDBNull(6) ? null : Convert.ToInt32(reader.GetValue(6), CultureInfo.InvariantCulture),
        BudgetUsd = reader.IsDBNull(7) ? null : PlatformDatabase.ReadMoney(reader, 7),
        SpentUsd = PlatformDatabase.ReadMoney(reader, 8),
        Models = reader.IsDBNull(9) ? [] : reader.GetString(9).Split('\n', StringSplitOptions.RemoveEmptyEntries),
    };

    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);
}
