using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using static Switchyard.Tests.Observability.ObservabilityTestSupport;

namespace Switchyard.Tests.Observability;

/// <summary>The standard OTEL_* settings turn on the OTLP export, with the ASP.NET Core, HttpClient and runtime instrumentation.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Otel_variables_export_traces_and_metrics_with_the_standard_instrumentation()
    {
        var received = new ConcurrentQueue<(string Path, byte[] Body)>();
        var collectorBuilder = WebApplication.CreateSlimBuilder();
        collectorBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var collector = collectorBuilder.Build();
        collector.Run(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            received.Enqueue((context.Request.Path.Value!, buffer.ToArray()));
            context.Response.ContentType = "application/x-protobuf";
        });
        await collector.StartAsync();
        var collectorUrl = collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var settings = Settings();
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = collectorUrl;
        settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        settings["OTEL_SERVICE_NAME"] = "switchyard-otel-test";
        settings["Switchyard:Telemetry:OtlpExportInterval"] = "00:00:01";
        await using (var host = await GatewayHost.StartAsync(settings))
        {
            host.Upstream.Enqueue(FakeReply.Text("Hi"));
            var (response, body) = await MessageAsync(host, "sk-anything");
            Assert.True(response.IsSuccessStatusCode, body);
        }

        // Stopping the host flushes both signals.
        string Text(string path) => string.Join("\n", received.Where(r => r.Path == path).Select(r => Encoding.UTF8.GetString(r.Body)));
        var traces = Text("/v1/traces");
        var metrics = Text("/v1/metrics");
        Assert.Contains("switchyard-otel-test", traces, StringComparison.Ordinal);
        Assert.Contains("Microsoft.AspNetCore", traces, StringComparison.Ordinal);
        Assert.Contains("System.Net.Http", traces, StringComparison.Ordinal);
        Assert.Contains("switchyard-otel-test", metrics, StringComparison.Ordinal);
        Assert.Contains("http.server.request.duration", metrics, StringComparison.Ordinal);
        Assert.Contains("http.client.request.duration", metrics, StringComparison.Ordinal);
        Assert.Contains("dotnet.gc.", metrics, StringComparison.Ordinal);
    }
}
