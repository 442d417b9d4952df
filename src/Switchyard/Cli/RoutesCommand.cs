using System.CommandLine;
using Switchyard.Hosting;
using Switchyard.Models;
using Switchyard.Providers;
using Switchyard.Routing;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard routes list</c> prints the routes in order; <c>switchyard routes explain request.json [--openai]</c>
/// prints which route a request takes, its targets, and why. Both read the server's configuration.
/// </summary>
internal static class RoutesCommand
{
    public static Command Create(CliContext context)
    {
        var routes = new Command("routes", "Show the routes, or explain which route a request takes and why.");
        var list = new Command("list", "List the routes in order (first match wins).");
        list.SetAction((parse, ct) => context.RunAsync(async () =>
        {
            var (router, _, _, http) = Build(context, parse);
            using (http)
            {
                await ListAsync(router, context.Console.Out);
            }

            return ExitCodes.Ok;
        }));
        var file = new Argument<string>("request") { Description = "A request body (or a captured {method,url,headers,body}); '-' reads stdin." };
        var openAI = new Option<bool>("--openai") { Description = "The request is a Chat Completions body (default: an Anthropic Messages body)." };
        var explain = new Command("explain", "Explain which route a request takes, its targets, and why.") { file, openAI };
        explain.SetAction((parse, ct) => context.RunAsync(async () =>
        {
            var (router, catalog, options, http) = Build(context, parse);
            using (http)
            {
                return await ExplainAsync(context, router, catalog, options, parse.GetValue(file)!, parse.GetValue(openAI), ct);
            }
        }));
        routes.Add(list);
        routes.Add(explain);
        return routes;
    }

    private static (Router Router, ModelCatalog Catalog, SwitchyardOptions Options, HttpClient Http) Build(CliContext context, ParseResult parse)
    {
        var options = ConfigurationLoader.Load(context.Configuration(parse));
        var catalog = new ModelCatalog(options.Models);
        var http = new HttpClient();
        var providers = new ProviderRegistry(http, options.Upstream, options.Providers);
        return (new Router(catalog, providers, options.Routes), catalog, options, http);
    }

    internal static async Task ListAsync(Router router, TextWriter output)
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

    private static async Task<int> ExplainAsync(CliContext context, Router router, ModelCatalog catalog, SwitchyardOptions options, string path, bool openAI, CancellationToken cancellationToken)
    {
        if (await RequestFile.ReadAsync(context, path, "routes explain", cancellationToken) is not { } document)
        {
            return ExitCodes.Usage;
        }

        using (document)
        {
            var explanation = RouteExplainer.Explain(document, openAI, router, catalog, options.Translation);
            foreach (var line in explanation.Lines)
            {
                await context.Console.Out.WriteLineAsync(line);
            }

            return explanation.Rejected ? ExitCodes.Failure : ExitCodes.Ok;
        }
    }
}
