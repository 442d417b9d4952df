using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Anthropic;
using Switchyard.Hosting;
using Switchyard.Models;
using Switchyard.Providers;
using Switchyard.Routing;
using Switchyard.Tokenization;
using Switchyard.Translation;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard routes explain request.json [--openai]</c>: prints which route a request takes, its targets, and why,
/// from the server's configuration (appsettings.json next to the executable, environment, <c>--Switchyard:…=value</c>).
/// <c>switchyard routes list</c> prints the routes in order.
/// </summary>
public static class RoutesCommands
{
    /// <summary>Whether <paramref name="args"/> asks for a <c>routes</c> command.</summary>
    public static bool IsRoutesCommand(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Length > 0 && args[0] == "routes";
    }

    /// <summary>Runs the command; returns the exit code (0 ok, 1 bad usage or request, 2 invalid configuration).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        output ??= Console.Out;
        var configArgs = args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal)).ToArray();
        var words = args.Skip(1).Where(a => !configArgs.Contains(a)).ToList();
        var configuration = CliSupport.Configuration(configArgs, overrides);

        SwitchyardOptions options;
        try
        {
            options = ConfigurationLoader.Load(configuration);
        }
        catch (InvalidOperationException exception)
        {
            await output.WriteLineAsync($"switchyard: invalid configuration: {exception.Message}");
            return 2;
        }

        var catalog = new ModelCatalog(options.Models);
        using var http = new HttpClient();
        var providers = new ProviderRegistry(http, options.Upstream, options.Providers);
        var router = new Router(catalog, providers, options.Routes);
        switch (words.FirstOrDefault())
        {
            case "list":
                await ListAsync(router, output);
                return 0;
            case "explain" when words.Count >= 2:
                return await ExplainAsync(router, catalog, options, words[1], words.Contains("--openai"), output);
            default:
                await output.WriteLineAsync("usage: switchyard routes explain <request.json|-> [--openai]\n       switchyard routes list");
                return 1;
        }
    }

    private static async Task ListAsync(Router router, TextWriter output)
    {
        if (router.Routes.Count == 0)
        {
            await output.WriteLineAsync("No routes: every request goes to the catalog model's provider.");
            return;
        }

        for (var i = 0; i < router.Routes.Count; i++)
        {
            var route = router.Routes[i];
            await output.WriteLineAsync($"{i + 1}. {Router.NameOf(route, i)} → {string.Join(", ", route.Targets.Select(t => t.Provider + "/" + (t.Model ?? "(requested model)")))}");
        }
    }

    private static async Task<int> ExplainAsync(Router router, ModelCatalog catalog, SwitchyardOptions options, string path, bool openAI, TextWriter output)
    {
        if (await CliSupport.ReadJsonAsync(path, Console.In, output, "switchyard routes explain", CancellationToken.None) is not { } document)
        {
            return 1;
        }

        using (document)
        {
            var root = document.RootElement;
            RequestNeeds needs;
            if (openAI)
            {
                needs = RequestNeeds.FromChat(root, () => DeepSeekTokenizer.Shared.CountTokens(RequestNeeds.TextOf(root)));
            }
            else
            {
                var translator = new RequestTranslator(catalog, new ThinkingSignature(RandomNumberGenerator.GetBytes(32)), options.Translation);
                var counter = new DeepSeekTokenCounter();
                needs = RequestNeeds.FromMessages(root, () =>
                {
                    try
                    {
                        return counter.CountPrompt(translator.Translate(MessagesRequestParser.Parse(document, countTokens: true)).Chat);
                    }
                    catch (Errors.GatewayException)
                    {
                        return DeepSeekTokenizer.Shared.CountTokens(RequestNeeds.TextOf(root));
                    }
                });
            }

            RouteDecision decision;
            try
            {
                decision = router.Decide(needs);
            }
            catch (Errors.GatewayException exception)
            {
                await output.WriteLineAsync($"Rejected: {exception.Message}");
                return 1;
            }

            await output.WriteLineAsync($"Request: model '{needs.Model}'" +
                (needs.Images ? ", images" : "") + (needs.Documents ? ", documents" : "") +
                (needs.Thinking ? ", thinking" : "") + (needs.Tools ? ", tools" : "") + (needs.Background ? ", background model" : "") +
                (needs.TokensCounted ? $", {needs.InputTokens.ToString(CultureInfo.InvariantCulture)} input tokens" : ""));
            foreach (var note in decision.Notes)
            {
                await output.WriteLineAsync($"  passed over: {note}");
            }

            await output.WriteLineAsync(decision.Route is null
                ? "Route: none (the catalog decides)"
                : $"Route: {decision.Route} (#{(decision.RouteIndex + 1).ToString(CultureInfo.InvariantCulture)})");
            foreach (var reason in decision.Reasons)
            {
                await output.WriteLineAsync($"  because: {reason}");
            }

            await output.WriteLineAsync("Targets:");
            for (var i = 0; i < decision.Targets.Count; i++)
            {
                var target = decision.Targets[i];
                await output.WriteLineAsync($"  {(i + 1).ToString(CultureInfo.InvariantCulture)}. {target.Provider.Name}/{target.Model.UpstreamModel}" +
                    $" as {target.Model.Model.Id} ({(target.Provider.Kind == ProviderKind.Anthropic ? "passthrough" : "translated")})" +
                    (i == 0 ? " primary" : " fallback"));
            }

            foreach (var skipped in decision.Skipped)
            {
                await output.WriteLineAsync($"  skipped: {skipped}");
            }

            return 0;
        }
    }
}
