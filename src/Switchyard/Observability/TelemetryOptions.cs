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

    /// <summary>Reads <c>Switchyard:Telemetry</c>.</summary>
    /// <exception cref="InvalidOperationException">A setting is invalid; the message names it.</exception>
    public static TelemetryOptions Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Switchyard:Telemetry");
        Uri? endpoint = null;
        if (section["OtlpEndpoint"] is { Length: > 0 } text && !Uri.TryCreate(text, UriKind.Absolute, out endpoint))
        {
            throw new InvalidOperationException($"Switchyard:Telemetry:OtlpEndpoint: '{text}' is not an absolute URL (e.g. http://localhost:4317).");
        }

        var protocol = (section["OtlpProtocol"] ?? "grpc").Trim().ToLowerInvariant();
        if (protocol is not ("grpc" or "http" or "http/protobuf"))
        {
            throw new InvalidOperationException($"Switchyard:Telemetry:OtlpProtocol: must be grpc or http, not '{protocol}'.");
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
            ServiceName = section["ServiceName"] is { Length: > 0 } name ? name : "switchyard",
        };
    }

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
