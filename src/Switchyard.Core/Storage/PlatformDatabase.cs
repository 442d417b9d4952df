using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Switchyard.Storage;

/// <summary>
/// The platform's database: SQLite (default) or PostgreSQL. SQL is written once with <c>@name</c> parameters,
/// which both providers accept; the few differences (time and money columns) go through this class.
/// </summary>
public sealed class PlatformDatabase : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly NpgsqlDataSource? _dataSource;

    private PlatformDatabase(StorageProvider provider, string connectionString, NpgsqlDataSource? dataSource, string description, string? filePath = null)
    {
        FilePath = filePath;
        Provider = provider;
        _connectionString = connectionString;
        _dataSource = dataSource;
        Description = description;
    }

    /// <summary>The engine.</summary>
    public StorageProvider Provider { get; }

    /// <summary>The SQLite file (full path); null for PostgreSQL.</summary>
    public string? FilePath { get; }

    /// <summary>Where the data is, without credentials (for logs).</summary>
    public string Description { get; }

    /// <summary>Opens a SQLite file (created if missing; its directory too).</summary>
    public static PlatformDatabase Sqlite(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        PrivateFiles.CreateDirectory(Path.GetDirectoryName(full)!);
        // SQLite creates a new database 0644, and its -wal and -shm files with the database's mode: an empty 0600 file
        // (a valid empty database) makes all three owner-only.
        if (!File.Exists(full))
        {
            using (PrivateFiles.Open(full, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite))
            {
            }
        }

        foreach (var file in new[] { full, full + "-wal", full + "-shm" })
        {
            PrivateFiles.Restrict(file);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        };
        return new PlatformDatabase(StorageProvider.Sqlite, builder.ToString(), null, "sqlite:" + full, full);
    }

    /// <summary>Connects to PostgreSQL with an Npgsql connection string.</summary>
    public static PlatformDatabase PostgreSql(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var description = $"postgresql://{builder.Host}:{builder.Port}/{builder.Database}";
        return new PlatformDatabase(StorageProvider.PostgreSql, connectionString, NpgsqlDataSource.Create(builder), description);
    }

    /// <summary>PostgreSQL when <see cref="StorageOptions.PostgreSql"/> is set, else <c>switchyard.db</c> in <paramref name="dataDirectory"/>.</summary>
    public static PlatformDatabase Create(StorageOptions options, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dataDirectory);
        return !string.IsNullOrWhiteSpace(options.PostgreSql)
            ? PostgreSql(options.PostgreSql)
            : Sqlite(options.SqlitePath ?? Path.Combine(dataDirectory, "switchyard.db"));
    }

    /// <summary>Opens a pooled connection, configured for the platform (SQLite: busy timeout, WAL-friendly sync).</summary>
    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_dataSource is not null)
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA busy_timeout=10000; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The parameter value for a point in time (SQLite: sortable UTC text; PostgreSQL: timestamptz).</summary>
    public object Time(DateTimeOffset value) => Provider == StorageProvider.Sqlite
        ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)
        : value.ToUniversalTime();

    /// <summary>Reads a point in time written with <see cref="Time"/>.</summary>
    public static DateTimeOffset ReadTime(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var value = reader.GetValue(ordinal);
        return value switch
        {
            DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
            DateTimeOffset dto => dto.ToUniversalTime(),
            string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
            _ => throw new InvalidCastException($"Unexpected time value {value.GetType().Name}."),
        };
    }

    /// <summary>Reads an optional point in time.</summary>
    public static DateTimeOffset? ReadTimeOrNull(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.IsDBNull(ordinal) ? null : ReadTime(reader, ordinal);
    }

    /// <summary>Reads a money amount (SQLite REAL or PostgreSQL numeric), rounded to 12 decimals.</summary>
    public static decimal ReadMoney(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.IsDBNull(ordinal) ? 0m : ToMoney(reader.GetValue(ordinal));
    }

    /// <summary>Converts a scalar money value.</summary>
    public static decimal ToMoney(object? value) => value switch
    {
        null or DBNull => 0m,
        decimal d => Math.Round(d, 12),
        double f => Math.Round((decimal)f, 12),
        _ => Math.Round(Convert.ToDecimal(value, CultureInfo.InvariantCulture), 12),
    };

    /// <summary>Creates a command with text and <c>@name</c> parameters.</summary>
    public static DbCommand Command(DbConnection connection, string sql, DbTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            // With the prefix, SQLite finds the parameter in one lookup instead of trying each prefix in turn.
            parameter.ParameterName = name.Length > 0 && name[0] is '@' or ':' or '$' ? name : "@" + name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }
    }
}
