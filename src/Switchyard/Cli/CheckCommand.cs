using System.CommandLine;
using System.Text;
using System.Text.Json;
using Switchyard.Tokenization;
using Switchyard.Hosting;
using Switchyard.Models;
using Switchyard.Providers;
using Switchyard.Translation;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard check request.json</c> (or <c>-</c> for stdin) explains what Switchyard will do with every part of an
/// Anthropic request (with <c>--openai</c>, a Chat Completions request); exit 0 when it would be served, 1 when it would be rejected, 2 when the file cannot be read.
/// </summary>
internal static class CheckCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("request") { Description = "An Anthropic Messages request: a JSON body, or a captured {method,url,headers,body}; '-' reads stdin." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var openAI = new Option<bool>("--openai") { Description = "The request is a Chat Completions body (the OpenAI-format front), checked against the chat→chat lane's table." };
        var check = new Command("check", "Explain what Switchyard will do with each field, header, content block and tool of a request (exit 1: it would be rejected).") { file, json, openAI };
        check.SetAction((parse, ct) => context.RunAsync(async () =>
        {
            if (await RequestFile.ReadAsync(context, parse.GetValue(file)!, "check", ct) is not { } document)
            {
                return ExitCodes.Usage;
            }

            using (document)
            {
                var settings = new Dictionary<string, string?>(context.Console.Overrides ?? new Dictionary<string, string?>()) { ["urls"] = "http://127.0.0.1:0" };
                await using var app = SwitchyardApp.Build(context.ConfigurationArgs(parse), settings, workingDirectory: context.Console.WorkingDirectory);
                var services = app.Services;
                var report = parse.GetValue(openAI)
                    ? new ChatRequestChecker(services.GetRequiredService<ModelCatalog>()).Check(document.RootElement)
                    : new RequestChecker(services.GetRequiredService<ModelCatalog>(), services.GetRequiredService<ProviderRegistry>(),
                        services.GetRequiredService<RequestTranslator>(), services.GetRequiredService<SwitchyardOptions>().Translation).Check(document.RootElement);
                await context.Console.Out.WriteAsync(parse.GetValue(json) ? RenderJson(report) : Render(report));
                return report.Rejected ? ExitCodes.Failure : ExitCodes.Ok;
            }
        }));
        return check;
    }

    internal static string Render(CheckReport report)
    {
        var text = new StringBuilder();
        var width = Math.Min(48, report.Findings.Select(f => f.Path.Length).DefaultIfEmpty(0).Max());
        foreach (var finding in report.Findings)
        {
            text.Append(Label(finding.Action).PadRight(8)).Append(finding.Path.PadRight(width)).Append("  ")
                .Append(finding.What).Append(": ").Append(finding.Why).Append('\n');
        }

        text.Append('\n');
        if (report.Rejected)
        {
            var rejected = report.Findings.Where(f => f.Action == CheckAction.Reject).ToList();
            text.Append("RESULT: rejected").Append('\n');
            foreach (var finding in rejected)
            {
                text.Append("  ").Append(finding.Path).Append(" (").Append(finding.What).Append(')').Append('\n');
            }

            if (report.Rejection is { } rejection)
            {
                text.Append("  Switchyard answers: ").Append(rejection).Append('\n');
            }
        }
        else
        {
            text.Append("RESULT: served").Append('\n');
            foreach (var line in report.Upstream)
            {
                text.Append("  upstream: ").Append(line).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string RenderJson(CheckReport report)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("result", report.Rejected ? "rejected" : "served");
            if (report.Rejection is { } rejection)
            {
                writer.WriteString("error", rejection);
            }

            writer.WriteStartArray("findings");
            foreach (var finding in report.Findings)
            {
                writer.WriteStartObject();
                writer.WriteString("action", Label(finding.Action).ToLowerInvariant());
                writer.WriteString("path", finding.Path);
                writer.WriteString("what", finding.What);
                writer.WriteString("why", finding.Why);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("upstream");
            foreach (var line in report.Upstream)
            {
                writer.WriteStringValue(line);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string Label(CheckAction action) => action switch
    {
        CheckAction.Honour => "HONOUR",
        CheckAction.Ignore => "IGNORE",
        CheckAction.Drop => "DROP",
        CheckAction.Route => "ROUTE",
        CheckAction.Forward => "FORWARD",
        _ => "REJECT",
    };
}
