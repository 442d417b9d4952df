using System.Text.Json;
using Switchyard.Compatibility;
using Switchyard.Errors;
using Switchyard.Lanes.ChatToChat;
using Switchyard.Models;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard check --openai</c>: what the Chat Completions front does with each field, message role, content part
/// and tool of a request on DeepSeek, from the <c>chat→chat</c> lane's table (the one its reader reads), then the
/// reader's own verdict.
/// </summary>
internal sealed class ChatRequestChecker(ModelCatalog catalog)
{
    private static CompatibilityTable Table => CompatibilityTables.ChatToChat;

    public CheckReport Check(JsonElement body)
    {
        var report = new CheckReport();
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("body", out var captured) && captured.ValueKind == JsonValueKind.Object)
        {
            body = captured;
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            report.Rejection = "invalid_request_error: The request body must be a JSON object.";
            return report;
        }

        foreach (var property in body.EnumerateObject())
        {
            Add(report, CompatibilityScope.Field, property.Name, property.Name);
        }

        if (body.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var message in messages.EnumerateArray())
            {
                var path = $"messages[{i++}]";
                if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String)
                {
                    Add(report, CompatibilityScope.Role, role.GetString()!, path);
                    if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
                    {
                        var k = 0;
                        foreach (var part in content.EnumerateArray())
                        {
                            if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
                            {
                                Add(report, CompatibilityScope.Part, type.GetString()!, $"{path}.content[{k}]");
                            }

                            k++;
                        }
                    }
                }
            }
        }

        if (body.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            var t = 0;
            foreach (var tool in tools.EnumerateArray())
            {
                var type = tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("type", out var ty) && ty.ValueKind == JsonValueKind.String ? ty.GetString()! : "function";
                Add(report, CompatibilityScope.Tool, type, $"tools[{t++}]");
            }
        }

        try
        {
            var model = body.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? catalog.Resolve(m.GetString()!) : null;
            var read = ChatRequestReader.Read(body, model?.Model.MaxOutputTokens ?? 393_216);
            if (model is not null)
            {
                report.Upstream.Add($"model {model.UpstreamModel}");
            }

            if (read.OutputSchema is not null)
            {
                report.Upstream.Add("structured output: a forced function call (or JSON mode beside the request's tools), checked against the schema");
            }
        }
        catch (GatewayException exception)
        {
            report.Rejection = $"{exception.Kind.OpenAIType()} ({exception.Kind.StatusCode(Lanes.ClientFormat.OpenAI)}): {exception.Message}";
        }

        return report;
    }

    private static void Add(CheckReport report, CompatibilityScope scope, string name, string path)
    {
        var rule = Table.Lookup(scope, name);
        var action = rule.Support switch
        {
            Support.Honoured or Support.Translated => CheckAction.Honour,
            Support.Ignored => CheckAction.Drop,
            _ => CheckAction.Reject,
        };
        report.Add(action, path, name, rule.Note);
    }
}
