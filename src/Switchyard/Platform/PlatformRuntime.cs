using Switchyard.Accounting;
using Switchyard.Keys;
using Switchyard.Limits;
using Switchyard.Storage;

namespace Switchyard.Platform;

/// <summary>
/// The platform's parts over one database: keys, ledger, prices and admission. The server and the CLI both
/// build one; <see cref="StartAsync"/> runs migrations and replays the ledger outbox.
/// </summary>
public sealed class PlatformRuntime : IAsyncDisposable
{
    private readonly ILogger? _logger;
    private int _started;

    /// <summary>Builds the parts (nothing touches the database until <see cref="StartAsync"/>).</summary>
    public PlatformRuntime(PlatformOptions options, string dataDirectory, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        _logger = logger;
        Options = options;
        DataDirectory = dataDirectory;
        Database = PlatformDatabase.Create(options.Storage, dataDirectory);
        Keys = new KeyStore(Database);
        Bodies = new RequestBodyStore(Database);
        Prices = new PriceTable(options.Prices);
        Ledger = new UsageLedger(new LedgerStore(Database), Prices, Path.Combine(dataDirectory, "outbox"), options.Storage.OutboxFsync,
            exception => _logger?.LogWarning(exception, "Usage ledger: database write failed; retrying (records are safe in the outbox)"));
        LimitBackend = Database.Provider == StorageProvider.PostgreSql
            ? new PostgresLimitBackend(Database, options.Limits.LeaseTtl,
                onError: exception => _logger?.LogWarning(exception, "Limits: PostgreSQL lease maintenance failed"))
            : new LocalLimitBackend();
        Admission = new AdmissionController(LimitBackend, options.Limits, Ledger.Store);
    }

    /// <summary>The settings.</summary>
    public PlatformOptions Options { get; }

    /// <summary>The data directory (SQLite file, ledger outbox).</summary>
    public string DataDirectory { get; }

    /// <summary>The database.</summary>
    public PlatformDatabase Database { get; }

    /// <summary>Client keys.</summary>
    public KeyStore Keys { get; }

    /// <summary>Request bodies kept for the dashboard (only with <c>Switchyard:RequestBodies:Retain</c>).</summary>
    public RequestBodyStore Bodies { get; }

    /// <summary>The price table.</summary>
    public PriceTable Prices { get; }

    /// <summary>The usage ledger.</summary>
    public UsageLedger Ledger { get; }

    /// <summary>Where limit state lives.</summary>
    public ILimitBackend LimitBackend { get; }

    /// <summary>Admission control.</summary>
    public AdmissionController Admission { get; }

    /// <summary>Migrates the schema, replays outbox files of dead processes and starts the ledger writer.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return;
        }

        var applied = await SchemaMigrator.MigrateAsync(Database, cancellationToken);
        if (applied.Count > 0)
        {
            _logger?.LogInformation("Platform database {Database}: applied schema version(s) {Versions}", Database.Description, string.Join(", ", applied));
        }

        var replayed = await Ledger.StartAsync(cancellationToken);
        if (replayed > 0)
        {
            _logger?.LogInformation("Usage ledger: replayed {Count} record(s) from the outbox of a stopped process", replayed);
        }
    }

    /// <summary>Migrates the schema only (the CLI, which writes no ledger records).</summary>
    public Task MigrateAsync(CancellationToken cancellationToken = default) => SchemaMigrator.MigrateAsync(Database, cancellationToken);

    /// <summary>Flushes the ledger and releases everything.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _started) == 1)
        {
            await Ledger.DisposeAsync();
        }

        await Ledger.Store.DisposeAsync();
        await LimitBackend.DisposeAsync();
        await Database.DisposeAsync();
    }
}
