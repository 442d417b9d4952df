using Switchyard.Accounting;
using Switchyard.Limits;
using Switchyard.Storage;

namespace Switchyard.Platform;

/// <summary>
/// Platform settings: <c>Switchyard:Storage</c>, <c>Switchyard:Limits</c>, <c>Switchyard:Prices</c> and
/// <c>Switchyard:Admin</c>. Bound separately from <c>SwitchyardOptions</c>, from the same configuration.
/// </summary>
public sealed class PlatformOptions
{
    /// <summary>SQLite file or PostgreSQL connection string.</summary>
    public StorageOptions Storage { get; } = new();

    /// <summary>Upstream model limits and queueing.</summary>
    public LimitOptions Limits { get; } = new();

    /// <summary>The price table (empty: DeepSeek V4 defaults). A configured list replaces the defaults.</summary>
    public List<ModelPrice> Prices { get; } = [];

    /// <summary>The admin API.</summary>
    public AdminOptions Admin { get; } = new();

    /// <summary>Binds the sections from <paramref name="configuration"/> and validates them.</summary>
    /// <exception cref="InvalidOperationException">A setting is invalid; the message names it.</exception>
    public static PlatformOptions Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new PlatformOptions();
        try
        {
            configuration.GetSection("Switchyard:Storage").Bind(options.Storage);
            configuration.GetSection("Switchyard:Limits").Bind(options.Limits);
            configuration.GetSection("Switchyard:Prices").Bind(options.Prices);
            configuration.GetSection("Switchyard:Admin").Bind(options.Admin);
            options.Admin.Validate();
            if (options.Storage.SqlitePath is { Length: > 0 } sqlite)
            {
                options.Storage.SqlitePath = Path.GetFullPath(sqlite, Hosting.SwitchyardConfiguration.ContentRoot(configuration));
            }

            options.Limits.Validate();
            _ = new PriceTable(options.Prices);
        }
        catch (ArgumentException exception)
        {
            throw new InvalidOperationException(exception.Message.Split(" (Parameter")[0], exception);
        }
        catch (InvalidOperationException exception)
        {
            throw new InvalidOperationException($"Invalid platform configuration: {exception.Message}", exception);
        }

        return options;
    }
}

/// <summary>The admin API (<c>/admin/…</c>).</summary>
public sealed class AdminOptions
{
    /// <summary>The admin key, sent as <c>Authorization: Bearer</c> or <c>x-api-key</c>. Unset: the admin API answers 404.</summary>
    public string? Key { get; set; }

    /// <summary>Refuses a short key: the admin API can create keys and read the whole ledger.</summary>
    /// <exception cref="ArgumentException">The key is shorter than <see cref="AdminAccess.MinimumKeyLength"/>.</exception>
    public void Validate()
    {
        if (!string.IsNullOrEmpty(Key) && Key.Length < AdminAccess.MinimumKeyLength)
        {
            throw new ArgumentException(
                $"Switchyard:Admin:Key is {Key.Length} characters long; it must have at least {AdminAccess.MinimumKeyLength} " +
                "(for example the output of `openssl rand -hex 24`).");
        }
    }
}
