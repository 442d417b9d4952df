using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Switchyard.Anthropic;
using Switchyard.Models;
using Switchyard.Providers;
using Switchyard.Routing;
using Switchyard.Tokenization;
using Switchyard.Translation;

namespace Switchyard.Cli;

/// <summary>What <c>routes explain</c> says about a request: its needs, the route taken and why, the targets.</summary>
/// <param name="Rejected">Whether no route can serve it.</param>
/// <param name="Lines">The explanation, one line each.</param>
internal sealed record RouteExplanation(bool Rejected, IReadOnlyList<string> Lines);

/// <summary>Explains routing decisions for <c>switchyard routes explain</c> and the dashboard.</summary>
internal static class RouteExplainer
{
    /// <summary>Explains <paramref name="document"/>, an Anthropic Messages body (or a Chat Completions one with <paramref name="openAI"/>).</summary>
    public static RouteExplanation Explain(JsonDocument document, bool openAI, Router router, ModelCatalog catalog, TranslationOptions translation)
    {
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("body", out var captured) && captured.ValueKind == JsonValueKind.Object && !root.TryGetProperty("model", out _))
        {
            // A captured {method,url,headers,body}: explain its body.
            using var body = JsonDocument.Parse(captured.GetRawText());
            return Explain(body, openAI, router, catalog, translation);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return new RouteExplanation(true, ["Rejected: the request is not a JSON object."]);
        }

        RequestNeeds needs;
        if (openAI)
        {
            needs = RequestNeeds.FromChat(root, () => DeepSeekTokenizer.Shared.CountTokens(RequestNeeds.TextOf(root)));
        }
        else
        {
            var translator = new RequestTranslator(catalog, new ThinkingSignature(RandomNumberGenerator.GetBytes(32)), translation);
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
            return new RouteExplanation(true, [$"Rejected: {exception.Message}"]);
        }

        var lines = new List<string>
        {
            $"Request: model '{needs.Model}'" +
            (needs.Images ? ", images" : "") + (needs.Documents ? ", documents" : "") +
            (needs.Thinking ? ", thinking" : "") + (needs.Tools ? ", tools" : "") + (needs.Background ? ", background model" : "") +
            (needs.TokensCounted ? $", {needs.InputTokens.ToString(CultureInfo.InvariantCulture)} input tokens" : ""),
        };
        lines.AddRange(decision.Notes.Select(note => $"  passed over: {note}"));
        lines.Add(decision.Route is null
            ? "Route: none (the catalog decides)"
            : $"Route: {decision.Route} (#{(decision.RouteIndex + 1).ToString(CultureInfo.InvariantCulture)})");
        lines.AddRange(decision.Reasons.Select(reason => $"  because: {reason}"));
        lines.Add("Targets:");
        for (var i = 0; i < decision.Targets.Count; i++)
        {
            var target = decision.Targets[i];
            lines.Add($"  {(i + 1).ToString(CultureInfo.InvariantCulture)}. {target.Provider.Name}/{target.Model.UpstreamModel}" +
                $" as {target.Model.Model.Id} ({(target.Provider.Kind == ProviderKind.Anthropic ? "passthrough" : "translated")})" +
                (i == 0 ? " primary" : " fallback"));
        }

        lines.AddRange(decision.Skipped.Select(skipped => $"  skipped: {skipped}"));
        return new RouteExplanation(false, lines);
    }
}
