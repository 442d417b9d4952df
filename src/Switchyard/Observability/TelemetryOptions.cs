using System.Globalization;

namespace Switchyard.Observability;

/// <summary>The <c>Switchyard:Telemetry</c> settings.</summary>
public sealed class TelemetryOptions
{
    /// <summary>One structured log line per request (category <c>Switchyard.Requests</c>). Default true.</summary>
    public bool RequestLog { get; set; } = true;

    /// <summary>Serve Prometheus text at <c>/metrics</c>. Default true.</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>OTLP collector endpoint for traces and metrics (unset: no OTLP export).</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (default) or <c>http</c> (http/protobuf; <c>/v1/traces</c> and <c>/v1/metrics</c> are appended to a bare endpoint).</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>How often metrics are pushed over OTLP. Default 15 s.</summary>
    public TimeSpan OtlpExportInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The <c>service.name</c> resource attribute. Default <c>switchyard</c>.</summary>
    public string ServiceName { get; set; } = "switchyard";

    /// <summary>
    /// Reads <c>Switchyard:Telemetry</c>; where it leaves the OTLP endpoint, protocol or service name unset, the standard
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> (<c>grpc</c>, <c>http/protobuf</c>) and
    /// <c>OTEL_SERVICE_NAME</c> apply.
    /// </summary>
    /// <exception cref="InvalidOperationException">A setting is invalid; the message names it.</exception>
    public static TelemetryOptions Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Switchyard:Telemetry");
        Uri? endpoint = null;
        var (endpointName, endpointText) = Setting(configuration, section, "OtlpEndpoint", "OTEL_EXPORTER_OTLP_ENDPOINT");
        if (endpointText is { Length: > 0 } text && !Uri.TryCreate(text, UriKind.Absolute, out endpoint))
        {
            throw new InvalidOperationException($"{endpointName}: '{text}' is not an absolute URL (e.g. http://localhost:4317).");
        }

        var (protocolName, protocolText) = Setting(configuration, section, "OtlpProtocol", "OTEL_EXPORTER_OTLP_PROTOCOL");
        var protocol = (protocolText ?? "grpc").Trim().ToLowerInvariant();
        if (protocol is not ("grpc" or "http" or "http/protobuf"))
        {
            throw new InvalidOperationException($"{protocolName}: must be grpc or http/protobuf, not '{protocol}'.");
        }

        var interval = TimeSpan.FromSeconds(15);
        if (section["OtlpExportInterval"] is { Length: > 0 } intervalText &&
            (!TimeSpan.TryParse(intervalText, CultureInfo.InvariantCulture, out interval) || interval <= TimeSpan.Zero))
        {
            throw new InvalidOperationException($"Switchyard:Telemetry:OtlpExportInterval: '{intervalText}' is not a positive time span (e.g. 00:00:15).");
        }

        return new TelemetryOptions
        {
            RequestLog = Bool(section, "RequestLog", true),
            Prometheus = Bool(section, "Prometheus", true),
            OtlpEndpoint = endpoint,
            OtlpProtocol = protocol == "grpc" ? "grpc" : "http",
            OtlpExportInterval = interval,
            ServiceName = Setting(configuration, section, "ServiceName", "OTEL_SERVICE_NAME").Value is { Length: > 0 } name ? name : "switchyard",
        };
    }

    /// <summary>The Switchyard setting when set, else the standard OpenTelemetry variable; with the name to quote in errors.</summary>
    private static (string Name, string? Value) Setting(IConfiguration configuration, IConfigurationSection section, string key, string variable) =>
        section[key] is { Length: > 0 } value ? ($"Switchyard:Telemetry:{key}", value) : (variable, configuration[variable]);

    private static bool Bool(IConfigurationSection section, string key, bool fallback)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return bool.TryParse(text, out var value)
            ? value
            : throw new InvalidOperationException($"Switchyard:Telemetry:{key}: must be true or false, not '{text}'.");
    }
}
