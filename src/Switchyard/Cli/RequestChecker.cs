using System.Text.Json;
using Switchyard.Anthropic;
using Switchyard.Compatibility;
using Switchyard.Errors;
using Switchyard.Tokenization;
using Switchyard.Models;
using Switchyard.Providers;
using Switchyard.Translation;

namespace Switchyard.Cli;

/// <summary>What Switchyard does with one part of a request.</summary>
internal enum CheckAction
{
    Honour,
    Ignore,
    Drop,
    Route,
    Forward,
    Reject,
}

/// <summary>One line of a <c>switchyard check</c> report.</summary>
/// <param name="Action">What happens to it.</param>
/// <param name="Path">Where it is: <c>header anthropic-beta</c>, <c>system[0]</c>, <c>messages[3].content[1]</c>…</param>
/// <param name="What">The part (field name, block type…).</param>
/// <param name="Why">The reason, from the compatibility table where it has a row.</param>
internal sealed record CheckFinding(CheckAction Action, string Path, string What, string Why);

/// <summary>The report of <c>switchyard check</c>.</summary>
internal sealed class CheckReport
{
    public List<CheckFinding> Findings { get; } = [];

    /// <summary>The error Switchyard would answer (400/404…), or null when the request would be served.</summary>
    public string? Rejection { get; set; }

    /// <summary>A summary of what would go upstream, when the request would be served.</summary>
    public List<string> Upstream { get; } = [];

    public bool Rejected => Rejection is not null || Findings.Exists(f => f.Action == CheckAction.Reject);

    public void Add(CheckAction action, string path, string what, string why) => Findings.Add(new CheckFinding(action, path, what, why));
}

/// <summary>
/// Explains, part by part, what Switchyard will do with an Anthropic Messages request: every header, top-level field,
/// content block and tool is looked up in the server's <see cref="CompatibilityTables.MessagesToChat"/> table; the body then goes through
/// the server's own <see cref="MessagesRequestParser"/> and <see cref="RequestTranslator"/>, so
/// rejections that are not table rows (a tool_result without its tool_use, a bad field value) show up too.
/// </summary>
internal sealed class RequestChecker(ModelCatalog catalog, ProviderRegistry providers, RequestTranslator translator, TranslationOptions translation)
{
    private static readonly HashSet<string> TransportHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "host", "content-length", "connection", "accept-encoding", "transfer-encoding", "keep-alive",
    };

    public CheckReport Check(JsonElement input)
    {
        var report = new CheckReport();
        JsonElement body;
        var countTokens = false;
        if (input.ValueKind == JsonValueKind.Object && input.TryGetProperty("body", out var captured) &&
            (input.TryGetProperty("headers", out _) || input.TryGetProperty("url", out _) || input.TryGetProperty("method", out _)))
        {
            countTokens = CheckRequestLine(input, report);
            if (input.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object)
            {
                CheckHeaders(headers, report);
            }

            body = captured;
            if (body.ValueKind == JsonValueKind.String)
            {
                using var parsed = JsonDocument.Parse(body.GetString()!);
                body = parsed.RootElement.Clone();
            }
        }
        else
        {
            body = input;
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            report.Rejection = "invalid_request_error: The request body must be a JSON object.";
            return report;
        }

        if (CheckModel(body, report))
        {
            return report; // Forwarded as it is to an Anthropic-format upstream.
        }

        CheckFields(body, report);
        Validate(body, countTokens, report);
        return report;
    }

    private static bool CheckRequestLine(JsonElement input, CheckReport report)
    {
        var method = input.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "POST";
        if (!input.TryGetProperty("url", out var u) || u.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        var url = u.GetString()!;
        var path = url;
        var query = string.Empty;
        if (url.StartsWith("http", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(url, UriKind.Absolute, out var absolute))
        {
            path = absolute.AbsolutePath;
            query = absolute.Query;
        }
        else if (url.IndexOf('?', StringComparison.Ordinal) is var q and >= 0)
        {
            path = url[..q];
            query = url[q..];
        }

        var known = path.EndsWith("/v1/messages", StringComparison.Ordinal) || path.EndsWith("/v1/messages/count_tokens", StringComparison.Ordinal);
        report.Add(known && method.Equals("POST", StringComparison.OrdinalIgnoreCase) ? CheckAction.Honour : CheckAction.Reject,
            "request", $"{method} {path}",
            known ? "Messages API endpoint (also under /anthropic)." : "Not a Messages API endpoint of Switchyard (POST /v1/messages or /anthropic/v1/messages).");
        if (query.Length > 1)
        {
            report.Add(CheckAction.Ignore, "request", $"query {query}", "Query strings such as ?beta=true are ignored.");
        }

        return path.EndsWith("/count_tokens", StringComparison.Ordinal);
    }

    private static void CheckHeaders(JsonElement headers, CheckReport report)
    {
        foreach (var header in headers.EnumerateObject())
        {
            var name = header.Name.ToLowerInvariant();
            var path = "header " + name;
            if (TransportHeaders.Contains(name))
            {
                report.Add(CheckAction.Ignore, path, name, "HTTP transport header.");
                continue;
            }

            if (name == "content-type")
            {
                var value = header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString() ?? string.Empty : string.Empty;
                report.Add(CheckAction.Honour, path, name, value.Contains("json", StringComparison.OrdinalIgnoreCase)
                    ? "The body is read as JSON."
                    : $"'{value}': the body is read as JSON whatever the content type.");
                continue;
            }

            if (TryRule(CompatibilityScope.Header, name) is { } rule)
            {
                report.Add(Action(rule.Support), path, name, rule.Note);
                if (name == "anthropic-beta" && header.Value.ValueKind == JsonValueKind.String)
                {
                    foreach (var beta in header.Value.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        report.Add(CheckAction.Ignore, path, beta, "Beta flag: accepted, has no effect upstream.");
                    }
                }

                continue;
            }

            report.Add(CheckAction.Ignore, path, name, name.StartsWith("x-stainless-", StringComparison.Ordinal)
                ? "SDK telemetry header: not used, not forwarded upstream."
                : "Not used by Switchyard, not forwarded upstream.");
        }
    }

    /// <summary>Reports the model resolution; returns true when the request is forwarded to an Anthropic-format upstream.</summary>
    private bool CheckModel(JsonElement body, CheckReport report)
    {
        if (!body.TryGetProperty("model", out var modelElement) || modelElement.ValueKind != JsonValueKind.String)
        {
            return false; // The parser names the problem.
        }

        ModelResolution model;
        try
        {
            model = catalog.Resolve(modelElement.GetString()!);
        }
        catch (GatewayException exception)
        {
            report.Add(CheckAction.Reject, "model", modelElement.GetString()!, exception.Message);
            report.Rejection = $"{exception.Kind.AnthropicType()}: {exception.Message}";
            return false;
        }

        var provider = providers.Get(model.Model.Provider);
        var how = model.Remap switch
        {
            ModelRemap.None => "a catalog model",
            ModelRemap.Alias => "by alias",
            ModelRemap.Default => "unknown name: served by the default model (visibly: x-switchyard-model-remapped: default)",
            _ => "by route",
        };
        report.Add(model.Remap == ModelRemap.None ? CheckAction.Honour : CheckAction.Route, "model",
            $"{model.Requested} → {model.Model.Id}",
            $"Served by {model.Model.Id} (upstream model {model.UpstreamModel}) at provider '{provider.Name}' ({provider.Kind} format), {how}.");
        if (provider.Kind != ProviderKind.Anthropic)
        {
            return false;
        }

        foreach (var property in body.EnumerateObject())
        {
            report.Add(CheckAction.Forward, property.Name, property.Name,
                $"Provider '{provider.Name}' speaks the Messages API: the body is forwarded byte for byte (only `model` is rewritten).");
        }

        return true;
    }

    private void CheckFields(JsonElement body, CheckReport report)
    {
        foreach (var property in body.EnumerateObject())
        {
            var rule = CompatibilityTables.MessagesToChat.Lookup(CompatibilityScope.Field, property.Name);
            var value = property.Value;
            switch (property.Name)
            {
                case "system":
                    report.Add(Action(rule.Support), "system", "system", rule.Note);
                    CheckSystem(value, report);
                    break;
                case "messages":
                    report.Add(Action(rule.Support), "messages", $"messages ({(value.ValueKind == JsonValueKind.Array ? value.GetArrayLength() : 0)})", rule.Note);
                    CheckMessages(value, report);
                    break;
                case "tools":
                    report.Add(Action(rule.Support), "tools", $"tools ({(value.ValueKind == JsonValueKind.Array ? value.GetArrayLength() : 0)})", rule.Note);
                    CheckTools(value, report);
                    break;
                case "thinking":
                    report.Add(Action(rule.Support), "thinking", Describe("thinking", value, "type"), rule.Note);
                    if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("budget_tokens", out _))
                    {
                        report.Add(CheckAction.Ignore, "thinking.budget_tokens", "budget_tokens", "DeepSeek has no thinking budget.");
                    }

                    break;
                case "tool_choice":
                    report.Add(Action(rule.Support), "tool_choice", Describe("tool_choice", value, "type"), rule.Note);
                    if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("disable_parallel_tool_use", out _))
                    {
                        report.Add(CheckAction.Ignore, "tool_choice.disable_parallel_tool_use", "disable_parallel_tool_use", "Not supported upstream; ignored.");
                    }

                    break;
                case "output_config":
                    report.Add(Action(rule.Support), "output_config", "output_config", rule.Note);
                    if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("format", out _))
                    {
                        report.Add(CheckAction.Reject, "output_config.format", "format", "Structured output is not supported: DeepSeek has no JSON-schema mode.");
                    }

                    break;
                case "metadata":
                    report.Add(Action(rule.Support), "metadata", "metadata", rule.Note);
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var key in value.EnumerateObject().Where(p => p.Name != "user_id"))
                        {
                            report.Add(CheckAction.Ignore, "metadata." + key.Name, key.Name, "Only metadata.user_id is used.");
                        }
                    }

                    break;
                default:
                    report.Add(Action(rule.Support), property.Name, property.Name, rule.Note);
                    break;
            }
        }
    }

    private void CheckSystem(JsonElement system, CheckReport report)
    {
        if (system.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var index = 0;
        foreach (var block in system.EnumerateArray())
        {
            var path = $"system[{index++}]";
            var type = block.ValueKind == JsonValueKind.Object && block.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "?";
            var text = block.ValueKind == JsonValueKind.Object && block.TryGetProperty("text", out var x) && x.ValueKind == JsonValueKind.String ? x.GetString()! : string.Empty;
            if (type != "text")
            {
                report.Add(CheckAction.Reject, path, type, "System blocks must be text blocks.");
                continue;
            }

            if (translation.DroppedSystemPrefixes.FirstOrDefault(p => text.StartsWith(p, StringComparison.Ordinal)) is { } prefix)
            {
                report.Add(CheckAction.Drop, path, $"text ({prefix.TrimEnd(':')})",
                    "Claude Code's billing header block is dropped: it changes per release and would bust prefix caching.");
                continue;
            }

            report.Add(CheckAction.Honour, path, $"text ({text.Length} chars)", "Joined into the leading system message.");
            CheckBlockExtras(block, path, report);
        }
    }

    private static void CheckMessages(JsonElement messages, CheckReport report)
    {
        if (messages.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var path = $"messages[{index++}]";
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            CheckBlocks(content, path + ".content", report);
        }
    }

    private static void CheckBlocks(JsonElement content, string path, CheckReport report)
    {
        var index = 0;
        foreach (var block in content.EnumerateArray())
        {
            var blockPath = $"{path}[{index++}]";
            if (block.ValueKind != JsonValueKind.Object || !block.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String)
            {
                continue; // The parser names the problem.
            }

            var type = t.GetString()!;
            var rule = CompatibilityTables.MessagesToChat.Lookup(CompatibilityScope.Block, type);
            var why = rule.Note;
            if (type == "thinking" && block.TryGetProperty("signature", out var signature) && signature.ValueKind == JsonValueKind.String)
            {
                why += signature.GetString()!.StartsWith("sy1.", StringComparison.Ordinal)
                    ? " Signed by Switchyard: verified and replayed."
                    : " Not signed by Switchyard (e.g. from Anthropic or another gateway): replayed as sent.";
            }

            report.Add(Action(rule.Support), blockPath, type, why);
            CheckBlockExtras(block, blockPath, report);
            if (type == "tool_result" && block.TryGetProperty("content", out var inner) && inner.ValueKind == JsonValueKind.Array)
            {
                var innerIndex = 0;
                foreach (var part in inner.EnumerateArray())
                {
                    var partPath = $"{blockPath}.content[{innerIndex++}]";
                    var partType = part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var pt) && pt.ValueKind == JsonValueKind.String ? pt.GetString()! : "?";
                    if (partType == "text")
                    {
                        report.Add(CheckAction.Honour, partPath, "text", "Tool result text.");
                    }
                    else
                    {
                        var partRule = CompatibilityTables.MessagesToChat.Lookup(CompatibilityScope.Block, partType);
                        report.Add(CheckAction.Reject, partPath, partType, "Only text is supported inside tool_result. " +
                            (partRule.Support == Support.Rejected ? partRule.Note : string.Empty));
                    }
                }
            }
            else if (type == "mid_conv_system" && block.TryGetProperty("content", out var wrapped) && wrapped.ValueKind == JsonValueKind.Array)
            {
                CheckBlocks(wrapped, blockPath + ".content", report);
            }
        }
    }

    private static void CheckBlockExtras(JsonElement block, string path, CheckReport report)
    {
        if (block.TryGetProperty("cache_control", out _))
        {
            report.Add(CheckAction.Ignore, path + ".cache_control", "cache_control", CompatibilityTables.MessagesToChat.Lookup(CompatibilityScope.Field, "cache_control").Note);
        }

        if (block.TryGetProperty("citations", out _))
        {
            report.Add(CheckAction.Ignore, path + ".citations", "citations", "Citations are not supported upstream; ignored.");
        }
    }

    private static void CheckTools(JsonElement tools, CheckReport report)
    {
        if (tools.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var path = $"tools[{index++}]";
            if (tool.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var type = tool.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "custom";
            var name = tool.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "?";
            var rule = CompatibilityTables.MessagesToChat.Lookup(CompatibilityScope.Tool, type);
            report.Add(Action(rule.Support), path, $"{type} '{name}'", rule.Note);
        }
    }

    private void Validate(JsonElement body, bool countTokens, CheckReport report)
    {
        try
        {
            using var document = JsonDocument.Parse(body.GetRawText());
            var request = MessagesRequestParser.Parse(document, countTokens);
            var translated = translator.Translate(request);
            var chat = translated.Chat;
            report.Upstream.Add($"model {chat.Model} at provider '{providers.Get(translated.Model.Model.Provider).Name}'");
            report.Upstream.Add($"thinking {(translated.Thinking ? "enabled" : "disabled")}" +
                (translated.ThinkingDisabledForToolChoice ? " (turned off for the forced tool_choice; header x-switchyard-thinking: disabled-for-forced-tool-choice)" : string.Empty) +
                (chat.ReasoningEffort is { } effort ? $", reasoning_effort {effort}" : string.Empty));
            report.Upstream.Add($"{chat.Messages.Count} message(s), {chat.Tools?.Count ?? 0} tool(s), max_tokens {chat.MaxTokens?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}" +
                (translated.Prefill ? ", assistant prefill (chat prefix completion)" : string.Empty) +
                (translated.WarmOnly ? ", max_tokens 0: cache warm-up only" : string.Empty) +
                (translated.StopSequences.Count > 0 ? $", {translated.StopSequences.Count} stop sequence(s) matched by Switchyard" : string.Empty));
        }
        catch (GatewayException exception)
        {
            report.Rejection = $"{exception.Kind.AnthropicType()} ({exception.Kind.StatusCode()}): {exception.Message}";
        }
        catch (JsonException exception)
        {
            report.Rejection = $"invalid_request_error: {exception.Message}";
        }
    }

    private static string Describe(string name, JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty(field, out var f) && f.ValueKind == JsonValueKind.String
            ? $"{name} ({field} {f.GetString()})"
            : name;

    private static CompatibilityRule? TryRule(CompatibilityScope scope, string name)
    {
        try
        {
            return CompatibilityTables.MessagesToChat.Lookup(scope, name);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static CheckAction Action(Support support) => support switch
    {
        Support.Honoured or Support.Translated => CheckAction.Honour,
        Support.Ignored => CheckAction.Ignore,
        _ => CheckAction.Reject,
    };
}
