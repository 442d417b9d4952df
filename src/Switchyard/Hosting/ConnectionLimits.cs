using System.Globalization;

namespace Switchyard.Hosting;

/// <summary>
/// Caps Kestrel's concurrent client connections (<c>Switchyard:MaxConnections</c>), by default a little below the
/// process's file-descriptor limit, so that overload refuses new connections instead of exhausting descriptors:
/// without descriptors, upstream connects, database files and the runtime itself fail, and the process can die.
/// </summary>
internal static class ConnectionLimits
{
    private const string Setting = "Switchyard:MaxConnections";

    /// <summary>Applies the cap to Kestrel (connections and upgraded connections alike).</summary>
    public static void Apply(WebApplicationBuilder builder)
    {
        if (Resolve(builder.Configuration[Setting], OpenFilesLimit()) is { } max)
        {
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Limits.MaxConcurrentConnections = max;
                kestrel.Limits.MaxConcurrentUpgradedConnections = max;
            });
        }
    }

    /// <summary>The cap: the configured number (0 = none), else derived from the descriptor limit, else none.</summary>
    internal static long? Resolve(string? configured, long? openFilesLimit)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!long.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                throw new InvalidOperationException($"{Setting}: '{configured}' is not a whole number of connections (0 = no limit).");
            }

            return value == 0 ? null : value;
        }

        return openFilesLimit is { } limit ? DefaultFor(limit) : null;
    }

    /// <summary>
    /// The limit less headroom (a tenth, at least 256) for upstream connections, the database, logs and the runtime.
    /// Over HTTP/1.1 each stream also needs an upstream socket; those connects then fail as "overloaded" (503/529),
    /// which the process survives.
    /// </summary>
    internal static long DefaultFor(long openFilesLimit) => Math.Max(16, openFilesLimit - Math.Max(256, openFilesLimit / 10));

    /// <summary>The soft <c>RLIMIT_NOFILE</c> (which .NET raises to the hard limit at start-up) from <c>/proc/self/limits</c>; null when unknown or unlimited.</summary>
    internal static long? OpenFilesLimit()
    {
        try
        {
            return File.Exists("/proc/self/limits") ? ParseOpenFilesLimit(File.ReadAllText("/proc/self/limits")) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Reads the soft limit of the <c>Max open files</c> line.</summary>
    internal static long? ParseOpenFilesLimit(string limits)
    {
        foreach (var line in limits.Split('\n'))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return fields.Length > 0 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft) ? soft : null;
            }
        }

        return null;
    }
}
