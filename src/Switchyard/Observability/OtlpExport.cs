using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Switchyard.Observability;

/// <summary>
/// Pushes Switchyard's spans and metrics to an OTLP collector while the server runs, when
/// <c>Switchyard:Telemetry:OtlpEndpoint</c> or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; with them the
/// ASP.NET Core (server requests), HttpClient (upstream calls) and .NET runtime (GC, thread pool, JIT) instrumentation.
/// </summary>
internal sealed class OtlpExport(TelemetryOptions options, ILogger<OtlpExport> logger) : IHostedService, IDisposable
{
    private TracerProvider? _tracer;
    private MeterProvider? _meter;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.OtlpEndpoint is not { } endpoint)
        {
            return Task.CompletedTask;
        }

        var resource = ResourceBuilder.CreateDefault().AddService(options.ServiceName,
            serviceVersion: typeof(OtlpExport).Assembly.GetName().Version?.ToString());
        _tracer = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(GatewayTelemetry.Name)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddOtlpExporter(o => Configure(o, endpoint, "/v1/traces"))
            .Build();
        _meter = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(GatewayTelemetry.Name)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddOtlpExporter((o, reader) =>
            {
                Configure(o, endpoint, "/v1/metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)options.OtlpExportInterval.TotalMilliseconds;
            })
            .Build();
        logger.LogInformation("Telemetry: OTLP ({Protocol}) export of traces and metrics to {Endpoint} as service {Service}", options.OtlpProtocol, endpoint, options.ServiceName);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _meter?.ForceFlush(2000);
        _tracer?.ForceFlush(2000);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _tracer?.Dispose();
        _meter?.Dispose();
    }

    private void Configure(OtlpExporterOptions exporter, Uri endpoint, string signalPath)
    {
        if (options.OtlpProtocol == "http")
        {
            exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
            exporter.Endpoint = endpoint.AbsolutePath is "" or "/" ? new Uri(endpoint, signalPath) : endpoint;
        }
        else
        {
            exporter.Protocol = OtlpExportProtocol.Grpc;
            exporter.Endpoint = endpoint;
        }
    }
}
