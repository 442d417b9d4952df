using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Switchyard.Accounting;
using Switchyard.Errors;
using Switchyard.Platform;

namespace Switchyard.Cli;

/// <summary><c>switchyard usage --since 7d --by model|key|day</c>: usage and cost from the ledger.</summary>
internal static class UsageCommand
{
    public static Command Create(CliContext context)
    {
        var since = new Option<string>("--since")
        {
            Description = "From when: a time (2026-05-01) or a span back from now (24h, 7d).",
            DefaultValueFactory = _ => "30d",
            HelpName = "when",
        };
        since.Validators.Add(result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "30d";
            try
            {
                _ = PlatformEndpoints.Since(text);
            }
            catch (GatewayException exception)
            {
                result.AddError("--since: " + exception.Message);
            }
        });
        var by = new Option<string>("--by") { Description = "Group by key, model or day.", DefaultValueFactory = _ => "model" };
        by.AcceptOnlyFromAmong("key", "model", "day");
        var usage = new Command("usage", "Usage and cost report from the ledger (input = cache hit + cache miss tokens).") { since, by };
        usage.SetAction((parse, ct) => context.PlatformAsync(parse, async runtime =>
        {
            var from = PlatformEndpoints.Since(parse.GetValue(since))!.Value;
            var grouping = parse.GetValue(by) switch { "key" => UsageGrouping.Key, "day" => UsageGrouping.Day, _ => UsageGrouping.Model };
            var rows = await runtime.Ledger.Store.SummarizeAsync(from, grouping, ct);
            var table = new Table { Title = new TableTitle($"Usage since {from:yyyy-MM-dd HH:mm} UTC by {grouping.ToString().ToLowerInvariant()}") };
            table.Border(TableBorder.Simple).AddColumns(grouping.ToString(), "Requests", "Errors", "Input", "Cache hit", "Output", "Cost $");
            foreach (var column in table.Columns.Skip(1))
            {
                column.RightAligned();
            }

            foreach (var row in rows)
            {
                table.AddRow(Markup.Escape(row.Group), N(row.Requests), N(row.Errors), N(row.InputTokens), N(row.CacheHitTokens),
                    N(row.OutputTokens), KeysCommand.Usd(row.CostUsd, 6));
            }

            table.AddRow("Total", N(rows.Sum(r => r.Requests)), N(rows.Sum(r => r.Errors)), N(rows.Sum(r => r.InputTokens)),
                N(rows.Sum(r => r.CacheHitTokens)), N(rows.Sum(r => r.OutputTokens)), KeysCommand.Usd(rows.Sum(r => r.CostUsd), 6));
            context.Console.Tables().Write(table);
            return ExitCodes.Ok;
        }, ct));
        return usage;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
