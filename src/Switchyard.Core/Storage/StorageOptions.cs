namespace Switchyard.Storage;

/// <summary>Where the platform's state lives (section <c>Switchyard:Storage</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>A PostgreSQL connection string (Npgsql syntax). When set, PostgreSQL replaces the SQLite file.</summary>
    public string? PostgreSql { get; set; }

    /// <summary>The SQLite file; default <c>switchyard.db</c> in the data directory.</summary>
    public string? SqlitePath { get; set; }

    /// <summary>
    /// Whether a response also waits for its ledger line to be fsync'ed (survives a power loss or a kernel crash, not only
    /// a killed process). Default false: the line is written to the outbox file before the response's last bytes, which
    /// is what survives <c>kill -9</c>; an fsync costs a disk flush (shared by concurrent requests) on every response.
    /// </summary>
    public bool OutboxFsync { get; set; }
}
