using Switchyard.Observability;
using Switchyard.Platform;

namespace Switchyard.Hosting;

/// <summary>
/// Stops start-up on a setting under <c>Switchyard:</c> that nothing reads (a misspelling such as
/// <c>Switchyard:PingIntervall</c> would otherwise be ignored without a word). What is known is what the options
/// classes bind: the check binds the section again with <see cref="BinderOptions.ErrorOnUnknownConfiguration"/>, so a
/// property added to an options class is known at once.
/// </summary>
public static class UnknownSettings
{
    /// <summary>
    /// The sections under <c>Switchyard:</c> that are bound by their own options class instead of
    /// <see cref="SwitchyardOptions"/>. A new options class bound from its own <c>Switchyard:&lt;Name&gt;</c> section
    /// is added here, once.
    /// </summary>
    private static readonly Dictionary<string, Action<IConfiguration, Action<BinderOptions>>> SeparatelyBound = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Storage"] = (section, strict) => section.Bind(new Storage.StorageOptions(), strict),
        ["Limits"] = (section, strict) => section.Bind(new Limits.LimitOptions(), strict),
        ["Prices"] = (section, strict) => section.Bind(new List<Accounting.ModelPrice>(), strict),
        ["Admin"] = (section, strict) => section.Bind(new AdminOptions(), strict),
        ["Telemetry"] = (section, strict) => section.Bind(new TelemetryOptions(), strict),
        ["BrowserSafety"] = (section, strict) => section.Bind(new BrowserSafetyOptions(), strict),
    };

    /// <summary>Single values under <c>Switchyard:</c> read straight from the configuration (and validated where read).</summary>
    private static readonly HashSet<string> ReadDirectly = new(StringComparer.OrdinalIgnoreCase) { "MaxConnections" };

    /// <summary>Throws when <paramref name="configuration"/> has a <c>Switchyard:</c> key that no options class binds.</summary>
    /// <exception cref="InvalidOperationException">The message names the unknown keys and where they came from.</exception>
    public static void Check(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Switchyard");
        var own = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var separate = new Dictionary<string, Dictionary<string, string?>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in section.AsEnumerable(makePathsRelative: true))
        {
            if (value is null)
            {
                continue;
            }

            var top = key.Split(':')[0];
            if (ReadDirectly.Contains(key))
            {
                continue;
            }

            if (SeparatelyBound.ContainsKey(top))
            {
                var inner = key.Length > top.Length ? key[(top.Length + 1)..] : string.Empty;
                if (inner.Length == 0)
                {
                    throw Unknown(configuration, [top]);
                }

                (separate.TryGetValue(top, out var values) ? values : separate[top] = new(StringComparer.OrdinalIgnoreCase))[inner] = value;
            }
            else
            {
                own[key] = value;
            }
        }

        Strict("Switchyard", own, (c, strict) => c.Bind(new SwitchyardOptions(), strict), configuration);
        foreach (var (name, values) in separate)
        {
            Strict("Switchyard:" + name, values, SeparatelyBound[name], configuration);
        }
    }

    private static void Strict(string path, Dictionary<string, string?> values, Action<IConfiguration, Action<BinderOptions>> bind, IConfiguration whole)
    {
        var view = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        try
        {
            bind(view, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException exception) when (exception.Message.Contains(nameof(BinderOptions.ErrorOnUnknownConfiguration), StringComparison.Ordinal))
        {
            // The binder names the unknown property but not where it is: find the keys whose last segment it is.
            var names = exception.Message[(exception.Message.LastIndexOf(':') + 1)..]
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => n.Trim('\'')).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var keys = values.Keys.Select(k => Segments(k, names)).Where(k => k is not null).Select(k => path + ":" + k).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            throw Unknown(whole, keys.Count > 0 ? keys : [.. names.Select(n => path + ":…:" + n)]);
        }
        catch (InvalidOperationException)
        {
            // A value the binder cannot convert: reported, with its name, by the loader that reads it.
        }
    }

    private static string? Segments(string key, HashSet<string> names)
    {
        var parts = key.Split(':');
        for (var i = 0; i < parts.Length; i++)
        {
            if (names.Contains(parts[i]))
            {
                return string.Join(':', parts[..(i + 1)]);
            }
        }

        return null;
    }

    private static InvalidOperationException Unknown(IConfiguration configuration, IReadOnlyList<string> keys)
    {
        var described = keys.Select(k => k.StartsWith("Switchyard:", StringComparison.OrdinalIgnoreCase) ? k : "Switchyard:" + k)
            .Select(k => $"{k} (from {ConfigurationSources.Describe(configuration, k)})");
        return new InvalidOperationException(
            $"unknown setting{(keys.Count > 1 ? "s" : string.Empty)} {string.Join(", ", described)}: no such setting exists (misspelled?). " +
            "`switchyard config` lists the settings in effect; README.md lists them all.");
    }
}
