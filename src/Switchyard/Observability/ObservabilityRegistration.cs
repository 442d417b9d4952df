using System.Diagnostics;
using Microsoft.Extensions.Logging.Console;
using Switchyard.Accounting;
using Switchyard.Dashboard;

namespace Switchyard.Observability;

/// <summary>Registers and maps logs, metrics, traces, <c>/metrics</c>, <c>/admin/stats</c> and the dashboard.</summary>
public static class ObservabilityRegistration
{
    private static readonly Lazy<ActivityListener> DefaultListener = new(() =>
    {
        // Without this, no span exists unless an exporter listens, and traceparent would not be propagated.
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GatewayTelemetry.Name,
            Sample = static (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Parent != default && options.Parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded)
                    ? ActivitySamplingResult.AllDataAndRecorded
                    : ActivitySamplingResult.AllData,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    });

    /// <summary>Adds the telemetry singletons, the request observers and (when configured) the OTLP export.</summary>
    /// <exception cref="InvalidOperationException">A <c>Switchyard:Telemetry</c> setting is invalid.</exception>
    public static IServiceCollection AddSwitchyardObservability(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = TelemetryOptions.Load(configuration);
        _ = DefaultListener.Value;
        services.AddMetrics();
        services.AddSingleton(options);
        services.AddSingleton<GatewayTelemetry>();
        services.AddSingleton<LiveStats>(sp => new LiveStats(sp.GetRequiredService<GatewayTelemetry>()));
        services.AddSingleton(sp => new PrometheusExporter(sp.GetRequiredService<GatewayTelemetry>().Meter));
        services.AddSingleton<IRequestObserver, MetricsObserver>();
        if (options.RequestLog)
        {
            services.AddSingleton<IRequestObserver, RequestLogObserver>();
        }

        if (options.OtlpEndpoint is not null)
        {
            // Only then: otherwise the OpenTelemetry assemblies are never loaded.
            services.AddHostedService<OtlpExport>();
        }

        if (configuration["Logging:Console:FormatterName"] is { Length: > 0 } formatter)
        {
            // The slim host pins the simple formatter; honour the standard setting (json, systemd, simple).
            services.Configure<ConsoleLoggerOptions>(console => console.FormatterName = formatter);
        }
        return services;
    }

    /// <summary>
    /// Adds the telemetry middleware and the <c>/metrics</c> and <c>/dashboard</c> branches. Call it before the
    /// gateway middleware: these pages are not API requests and need no client key.
    /// </summary>
    public static IApplicationBuilder UseSwitchyardObservability(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ApplicationServices.GetRequiredService<TelemetryOptions>();
        if (options.Prometheus)
        {
            // Resolve now, so the listener sees every measurement from the first request on.
            var exporter = app.ApplicationServices.GetRequiredService<PrometheusExporter>();
            app.Map("/metrics", branch => branch.Run(async context =>
            {
                if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
                {
                    context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                    return;
                }

                context.Response.ContentType = PrometheusExporter.ContentType;
                context.Response.Headers.CacheControl = "no-store";
                await context.Response.WriteAsync(exporter.Render(), context.RequestAborted);
            }));
        }

        app.Map("/dashboard", DashboardEndpoints.Configure);
        app.UseMiddleware<TelemetryMiddleware>();
        return app;
    }

    /// <summary>Maps <c>GET /admin/stats</c> (admin key required, like the rest of the admin API).</summary>
    public static IEndpointRouteBuilder MapSwitchyardObservability(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/admin/stats", DashboardEndpoints.AdminStatsAsync);
        return endpoints;
    }
}
