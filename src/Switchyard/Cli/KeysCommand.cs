using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Switchyard.Keys;
using Switchyard.Platform;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard keys create|list|show|revoke</c>: client keys, written straight to the database the server reads,
/// so a new key or a revocation applies to the running server's next request.
/// </summary>
internal static class KeysCommand
{
    private static readonly string[] ListColumns = ["Name", "Id", "Limits", "Spent/max $", "Models"];

    public static Command Create(CliContext context)
    {
        var keys = new Command("keys", "Create, list, show and revoke client API keys.");
        keys.Add(CreateCommand(context));
        keys.Add(ListCommand(context));
        keys.Add(ShowCommand(context));
        keys.Add(RevokeCommand(context));
        return keys;
    }

    private static Command CreateCommand(CliContext context)
    {
        var name = new Option<string>("--name") { Description = "A name for the key (team, app).", Required = true };
        var maxConcurrency = CliValues.WholeNumber("--max-concurrency", "Concurrent requests allowed (over it: 429 at once).");
        var rpm = CliValues.WholeNumber("--rpm", "Requests per minute.");
        var tpm = CliValues.WholeNumber("--tpm", "Tokens (input + output) per minute.");
        var budget = CliValues.Dollars("--budget-usd", "Budget in USD; once spent, requests get 402.");
        var models = new Option<string[]>("--models") { Description = "Model globs the key may use (default: all).", AllowMultipleArgumentsPerToken = true, HelpName = "glob" };
        var json = new Option<bool>("--json") { Description = "Print the new key, secret included, as one JSON object (for scripts)." };
        var create = new Command("create", "Create a key; its secret is shown once.") { name, maxConcurrency, rpm, tpm, budget, models, json };
        create.SetAction((parse, ct) => context.PlatformAsync(parse, async runtime =>
        {
            var created = await runtime.Keys.CreateAsync(new NewKey
            {
                Name = parse.GetValue(name)!,
                MaxConcurrency = parse.GetValue(maxConcurrency),
                RequestsPerMinute = parse.GetValue(rpm),
                TokensPerMinute = parse.GetValue(tpm),
                BudgetUsd = parse.GetValue(budget),
                Models = [.. (parse.GetValue(models) ?? []).SelectMany(m => m.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
            }, ct);
            if (parse.GetValue(json))
            {
                await context.Console.Out.WriteLineAsync(JsonSerializer.Serialize(AdminKey.From(created.Key, created.Secret), PlatformJsonContext.Default.AdminKey));
                return ExitCodes.Ok;
            }

            var console = context.Console.Tables();
            console.WriteLine($"Created key {created.Key.Id} ({created.Key.Name}).");
            console.WriteLine("Secret (shown only now; only its hash is stored):");
            console.WriteLine(created.Secret);
            Show(console, created.Key);
            return ExitCodes.Ok;
        }, ct));
        return create;
    }

    private static Command ListCommand(CliContext context)
    {
        var all = new Option<bool>("--all") { Description = "Include revoked keys." };
        var list = new Command("list", "List keys. Limits: concurrent requests/requests per minute/tokens per minute; Spent/max: spent and budget in USD.") { all };
        list.SetAction((parse, ct) => context.PlatformAsync(parse, async runtime =>
        {
            var rows = await runtime.Keys.ListAsync(parse.GetValue(all), ct);
            // Only the model globs may wrap: the rest stays on one line in 80 columns.
            var table = new Table().Border(TableBorder.None);
            foreach (var header in ListColumns)
            {
                var column = new TableColumn(header).PadLeft(0).PadRight(2);
                table.AddColumn(header == "Models" ? column : column.NoWrap());
            }

            foreach (var key in rows)
            {
                table.AddRow(
                    Markup.Escape(key.Name) + (key.IsActive ? string.Empty : " (revoked)"), Markup.Escape(key.Id),
                    $"{Short(key.MaxConcurrency)}/{Short(key.RequestsPerMinute)}/{Short(key.TokensPerMinute)}",
                    Usd(key.SpentUsd, 2) + "/" + (key.BudgetUsd is { } b ? Usd(b, 2) : "-"),
                    Markup.Escape(key.Models.Count == 0 ? "*" : string.Join(", ", key.Models)));
            }

            var console = context.Console.Tables();
            console.Write(table);
            console.WriteLine($"{rows.Count} key(s).");
            return ExitCodes.Ok;
        }, ct));
        return list;
    }

    private static Command ShowCommand(CliContext context)
    {
        var id = new Argument<string>("key") { Description = "Key id or name." };
        var show = new Command("show", "Show one key.") { id };
        show.SetAction((parse, ct) => context.PlatformAsync(parse, async runtime =>
        {
            if (await runtime.Keys.FindAsync(parse.GetValue(id)!, ct) is not { } key)
            {
                return await context.FailAsync(ExitCodes.Failure, $"no key '{parse.GetValue(id)}'.");
            }

            Show(context.Console.Tables(), key);
            return ExitCodes.Ok;
        }, ct));
        return show;
    }

    private static Command RevokeCommand(CliContext context)
    {
        var id = new Argument<string>("key") { Description = "Key id or name." };
        var revoke = new Command("revoke", "Revoke a key at once (every replica, next request).") { id };
        revoke.SetAction((parse, ct) => context.PlatformAsync(parse, async runtime =>
        {
            if (await runtime.Keys.RevokeAsync(parse.GetValue(id)!, ct) is not { } key)
            {
                return await context.FailAsync(ExitCodes.Failure, $"no key '{parse.GetValue(id)}'.");
            }

            await context.Console.Out.WriteLineAsync($"Revoked key {key.Id} ({key.Name}) at {key.RevokedAt:yyyy-MM-dd HH:mm:ss} UTC.");
            return ExitCodes.Ok;
        }, ct));
        return revoke;
    }

    private static void Show(IAnsiConsole console, KeyInfo key)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Id", Markup.Escape(key.Id));
        grid.AddRow("Name", Markup.Escape(key.Name));
        grid.AddRow("Prefix", Markup.Escape(key.Prefix));
        grid.AddRow("Created", key.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        grid.AddRow("Status", key.IsActive ? "active" : $"revoked {key.RevokedAt:yyyy-MM-dd HH:mm:ss} UTC");
        grid.AddRow("Max concurrency", Opt(key.MaxConcurrency));
        grid.AddRow("Requests/min", Opt(key.RequestsPerMinute));
        grid.AddRow("Tokens/min", Opt(key.TokensPerMinute));
        grid.AddRow("Budget (USD)", key.BudgetUsd is { } b ? Usd(b, 6) : "-");
        grid.AddRow("Spent (USD)", Usd(key.SpentUsd, 6));
        grid.AddRow("Models", Markup.Escape(key.Models.Count == 0 ? "*" : string.Join(", ", key.Models)));
        console.Write(grid);
    }

    private static string Opt(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    /// <summary>A limit in few characters: 6000 → 6k, 2000000 → 2M (exact values: <c>keys show</c>).</summary>
    private static string Short(int? value) => value switch
    {
        null => "-",
        >= 1_000_000 and var v when v % 100_000 == 0 => (v / 1_000_000m).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 1_000 and var v when v % 100 == 0 => (v / 1_000m).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        var v => v.Value.ToString(CultureInfo.InvariantCulture),
    };

    internal static string Usd(decimal value, int decimals) => value.ToString("0." + new string('0', decimals), CultureInfo.InvariantCulture);
}
