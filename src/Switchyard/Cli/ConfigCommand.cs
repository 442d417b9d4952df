using System.CommandLine;
using System.Data.Common;
using System.Text.RegularExpressions;
using Spectre.Console;
using Switchyard.Hosting;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard config</c>: the effective configuration as the server would resolve it, each value with the source it
/// came from (which file, the environment, the command line), secrets masked.
/// </summary>
internal static partial class ConfigCommand
{
    /// <summary>The top-level names Switchyard reads (the rest of the environment is not shown).</summary>
    private static readonly string[] Shown =
    [
        "Switchyard", "Logging", "urls", "environment", "DEEPSEEK_API_KEY", "DEEPSEEK_BASE_URL", "SWITCHYARD_DATA_DIR",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_SERVICE_NAME",
    ];

    public static Command Create(CliContext context)
    {
        var command = new Command("config", "Print the effective configuration: every setting in effect, where it came from, secrets masked.");
        command.SetAction((parse, ct) => context.RunAsync(async () =>
        {
            var configuration = context.Configuration(parse);
            var options = ConfigurationLoader.Load(configuration);
            var platform = Platform.PlatformOptions.Load(configuration);
            var telemetry = Observability.TelemetryOptions.Load(configuration);
            var console = context.Console.Tables();
            var contentRoot = SwitchyardConfiguration.ContentRoot(configuration);
            var settingsFile = Path.Combine(contentRoot, SwitchyardConfiguration.SettingsFile);

            var resolved = new Grid().AddColumn().AddColumn();
            resolved.AddRow("Content root", Markup.Escape(contentRoot));
            resolved.AddRow("Settings file", Markup.Escape(File.Exists(settingsFile) ? settingsFile : settingsFile + " (none)"));
            resolved.AddRow("Listens on", Markup.Escape(configuration["urls"] is { Length: > 0 } urls ? urls : "http://127.0.0.1:8080"));
            resolved.AddRow("Data directory", Markup.Escape(options.DataDirectory!));
            resolved.AddRow("Database", Markup.Escape(platform.Storage.PostgreSql is { Length: > 0 } pg
                ? "PostgreSQL " + MaskConnectionString(pg)
                : "SQLite " + (platform.Storage.SqlitePath ?? Path.Combine(options.DataDirectory!, "switchyard.db"))));
            resolved.AddRow("Upstream", Markup.Escape($"{options.Upstream.Name} at {options.Upstream.BaseUrl}, key " +
                (UpstreamKeyCheck.IsMissing(options) ? "MISSING (set DEEPSEEK_API_KEY)" : string.IsNullOrEmpty(options.Upstream.ApiKey) ? "not set" : "set")));
            resolved.AddRow("Admin API", platform.Admin.Key is { Length: > 0 } ? "on (key set)" : "off (Switchyard:Admin:Key not set)");
            resolved.AddRow("OTLP export", Markup.Escape(telemetry.OtlpEndpoint is { } otlp ? $"{otlp} ({telemetry.OtlpProtocol}) as {telemetry.ServiceName}" : "off"));
            console.Write(resolved);
            console.WriteLine();

            var table = new Table().Border(TableBorder.Simple).AddColumns("Setting", "Value", "From");
            foreach (var (key, value) in ConfigurationSources.Values(configuration, Shown))
            {
                table.AddRow(Markup.Escape(key), Markup.Escape(Mask(key, value)), Markup.Escape(ConfigurationSources.Describe(configuration, key)));
            }

            console.Write(table);
            console.WriteLine("Settings not listed have their defaults (README.md, Configuration).");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>A value as it may be shown: secrets (keys, tokens, passwords) masked, connection strings without their password.</summary>
    internal static string Mask(string key, string value)
    {
        var name = key[(key.LastIndexOf(':') + 1)..];
        if (SecretName().IsMatch(name) || SecretName().IsMatch(key))
        {
            return value.Length == 0 ? string.Empty : "****** (set)";
        }

        return name.Equals("PostgreSql", StringComparison.OrdinalIgnoreCase) ? MaskConnectionString(value) : value;
    }

    private static string MaskConnectionString(string value)
    {
        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = value };
            foreach (var secret in builder.Keys.Cast<string>().Where(k => SecretName().IsMatch(k.Replace(" ", string.Empty, StringComparison.Ordinal))).ToList())
            {
                builder[secret] = "******";
            }

            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return "****** (unparsable connection string)";
        }
    }

    [GeneratedRegex("(key|keys:\\d+|secret|password|pwd|token)$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
