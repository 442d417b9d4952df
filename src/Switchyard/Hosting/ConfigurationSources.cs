using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;

namespace Switchyard.Hosting;

/// <summary>Where a configuration value came from: the last source that sets it wins, as the binder sees it.</summary>
public static class ConfigurationSources
{
    /// <summary>A short description of the source of <paramref name="key"/>: a file path, <c>environment</c>, <c>command line</c>…</summary>
    public static string Describe(IConfiguration configuration, string key)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(key);
        if (configuration is not IConfigurationRoot root || Find(root, key) is not { } provider)
        {
            return "unknown source";
        }

        var name = Name(provider);
        var relative = Path.IsPathFullyQualified(name) ? Path.GetRelativePath(SwitchyardConfiguration.ContentRoot(configuration), name) : name;
        return relative.StartsWith("..", StringComparison.Ordinal) ? name : relative;
    }

    /// <summary>Every key with a value under the given prefixes (or all, for none), in key order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Values(IConfiguration configuration, IReadOnlyCollection<string> prefixes)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(prefixes);
        return [.. configuration.AsEnumerable()
            .Where(p => p.Value is not null && (prefixes.Count == 0 || prefixes.Any(prefix =>
                p.Key.Equals(prefix, StringComparison.OrdinalIgnoreCase) || p.Key.StartsWith(prefix + ":", StringComparison.OrdinalIgnoreCase))))
            .Select(p => new KeyValuePair<string, string>(p.Key, p.Value!))
            .OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase)];
    }

    private static IConfigurationProvider? Find(IConfigurationRoot root, string key)
    {
        foreach (var provider in root.Providers.Reverse())
        {
            if (provider is ChainedConfigurationProvider { Configuration: IConfigurationRoot inner } && Find(inner, key) is { } found)
            {
                return found;
            }

            if (provider.TryGet(key, out _))
            {
                return provider;
            }
        }

        return null;
    }

    private static string Name(IConfigurationProvider provider) => provider switch
    {
        JsonConfigurationProvider json when json.Source.FileProvider?.GetFileInfo(json.Source.Path ?? string.Empty).PhysicalPath is { } path => path,
        JsonConfigurationProvider json => json.Source.Path ?? "a JSON file",
        EnvironmentVariablesConfigurationProvider => "environment",
        CommandLineConfigurationProvider => "command line",
        MemoryConfigurationProvider => "settings given in code",
        _ => provider.GetType().Name,
    };
}
