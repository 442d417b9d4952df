using System.Text.Json;
using Switchyard.Compatibility;
using Switchyard.Errors;

namespace Switchyard.OpenAI.Responses;

/// <summary>
/// Validates a <c>POST /v1/responses</c> body against the serving lane's compatibility table
/// (<see cref="CompatibilityTables.ResponsesToChat"/>, <see cref="CompatibilityTables.ResponsesToMessages"/>) and reduces it to a
/// <see cref="ResponsesRequest"/>. Every rejection is a 400 <c>invalid_request_error</c> whose <c>param</c> names
/// the place (<c>input[3].call_id</c>, <c>tools[0]</c>); explicit <c>null</c>s count as absent, as the SDKs send them.
/// </summary>
public static class ResponsesRequestParser
{
    private static readonly string[] Efforts = ["none", "minimal", "low", "medium", "high", "xhigh"];
    private static readonly string[] Summaries = ["auto", "concise", "detailed"];

    /// <summary>Parses and validates <paramref name="root"/> against <paramref name="table"/>.</summary>
    /// <exception cref="GatewayException">The request cannot be served (400).</exception>
    public static ResponsesRequest Parse(JsonElement root, CompatibilityTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.Invalid("The request body must be a JSON object.");
        }

        var request = new ResponsesRequest { Model = string.Empty, Input = [] };
        var hasModel = false;
        var hasInput = false;
        JsonElement? toolChoice = null;
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            switch (property.Name)
            {
                case "model":
                    request = request with { Model = Models.ModelCatalog.RequireName(RequireString(value, "model")) };
                    hasModel = true;
                    break;
                case "instructions":
                    request = request with { Instructions = RequireString(value, "instructions") };
                    break;
                case "input":
                    request = request with { Input = ResponseItemParser.ParseInput(value, table) };
                    hasInput = true;
                    break;
                case "tools":
                    request = request with { Tools = ResponsesToolParser.ParseTools(value, table), RawTools = value.Clone() };
                    break;
                case "tool_choice":
                    toolChoice = value;
                    break;
                case "parallel_tool_calls":
                    request = request with { ParallelToolCalls = RequireBool(value, "parallel_tool_calls") };
                    break;
                case "reasoning":
                    request = ParseReasoning(request, value);
                    break;
                case "text":
                    request = request with { TextFormat = ParseTextFormat(value), RawText = value.Clone() };
                    break;
                case "max_output_tokens":
                    var max = RequireInteger(value, "max_output_tokens");
                    request = request with { MaxOutputTokens = max >= 1 ? max : throw Invalid("max_output_tokens must be at least 1", "max_output_tokens") };
                    break;
                case "temperature":
                    request = request with { Temperature = RequireNumber(value, "temperature", 0, 2) };
                    break;
                case "top_p":
                    request = request with { TopP = RequireNumber(value, "top_p", 0, 1) };
                    break;
                case "metadata":
                    request = request with { Metadata = ParseMetadata(value) };
                    break;
                case "user":
                    request = request with { User = RequireString(value, "user") };
                    break;
                case "safety_identifier":
                    request = request with { SafetyIdentifier = RequireString(value, "safety_identifier") };
                    break;
                case "store":
                    request = request with { Store = RequireBool(value, "store") };
                    break;
                case "previous_response_id":
                    var previous = RequireString(value, "previous_response_id");
                    request = request with { PreviousResponseId = previous.Length > 0 ? previous : throw Invalid("previous_response_id must not be empty", "previous_response_id") };
                    break;
                case "include":
                    request = request with { IncludeEncryptedReasoning = ParseInclude(value) };
                    break;
                case "truncation":
                    if (RequireString(value, "truncation") is not ("auto" or "disabled"))
                    {
                        throw Invalid("truncation must be 'auto' or 'disabled'", "truncation");
                    }

                    break;
                case "stream":
                    request = request with { Stream = RequireBool(value, "stream") };
                    break;
                case "background" when value.ValueKind == JsonValueKind.False:
                    break;
                default:
                    var rule = table.Lookup(CompatibilityScope.Field, property.Name);
                    if (rule.Support == Support.Rejected)
                    {
                        throw Invalid($"{property.Name}: {rule.Note}", property.Name);
                    }

                    break;
            }
        }

        if (!hasModel)
        {
            throw Invalid("model is required", "model");
        }

        if (!hasInput && request.PreviousResponseId is null)
        {
            throw Invalid("input is required", "input");
        }

        if (toolChoice is { } choice)
        {
            request = request with { ToolChoice = ResponsesToolParser.ParseToolChoice(choice, request.Tools), RawToolChoice = choice.Clone() };
        }

        return request;
    }

    private static ResponsesRequest ParseReasoning(ResponsesRequest request, JsonElement reasoning)
    {
        if (reasoning.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("reasoning must be an object", "reasoning");
        }

        var effort = OptionalString(reasoning, "effort", "reasoning");
        if (effort is not null && !Efforts.Contains(effort))
        {
            throw Invalid($"reasoning.effort must be one of {string.Join(", ", Efforts)} (got '{effort}')", "reasoning.effort");
        }

        var summary = OptionalString(reasoning, "summary", "reasoning") ?? OptionalString(reasoning, "generate_summary", "reasoning");
        if (summary is not null && !Summaries.Contains(summary))
        {
            throw Invalid($"reasoning.summary must be one of {string.Join(", ", Summaries)} (got '{summary}')", "reasoning.summary");
        }

        return request with { ReasoningEffort = effort, ReasoningSummary = summary };
    }

    private static ResponsesTextFormat ParseTextFormat(JsonElement text)
    {
        if (text.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("text must be an object", "text");
        }

        if (!text.TryGetProperty("format", out var format) || format.ValueKind == JsonValueKind.Null)
        {
            return ResponsesTextFormat.Text;
        }

        if (format.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("text.format must be an object", "text.format");
        }

        switch (RequireField(format, "type", "text.format"))
        {
            case "text":
                return ResponsesTextFormat.Text;
            case "json_object":
                return new ResponsesTextFormat(ResponsesTextFormatKind.JsonObject);
            case "json_schema":
                var name = RequireField(format, "name", "text.format");
                if (!ResponsesToolParser.IsValidName(name))
                {
                    throw Invalid($"text.format.name '{name}' must match ^[a-zA-Z0-9_-]{{1,64}}$", "text.format.name");
                }

                if (!format.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
                {
                    throw Invalid("text.format.schema is required and must be a JSON Schema object", "text.format.schema");
                }

                var strict = format.TryGetProperty("strict", out var strictValue) && strictValue.ValueKind == JsonValueKind.True;
                return new ResponsesTextFormat(ResponsesTextFormatKind.JsonSchema,
                    new JsonSchemaFormat(name, schema.Clone(), OptionalString(format, "description", "text.format"), strict));
            case var other:
                throw Invalid($"text.format.type must be text, json_object or json_schema (got '{other}')", "text.format.type");
        }
    }

    private static Dictionary<string, string> ParseMetadata(JsonElement metadata)
    {
        if (metadata.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("metadata must be an object of strings", "metadata");
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in metadata.EnumerateObject())
        {
            if (pair.Value.ValueKind != JsonValueKind.String || pair.Name.Length > 64 || pair.Value.GetString()!.Length > 512)
            {
                throw Invalid($"metadata['{pair.Name}'] must be a string of at most 512 characters under a key of at most 64", "metadata");
            }

            result[pair.Name] = pair.Value.GetString()!;
        }

        return result.Count <= 16 ? result : throw Invalid($"metadata has {result.Count} keys; at most 16 are allowed", "metadata");
    }

    private static bool ParseInclude(JsonElement include)
    {
        if (include.ValueKind != JsonValueKind.Array || include.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            throw Invalid("include must be an array of strings", "include");
        }

        return include.EnumerateArray().Any(v => v.GetString() == "reasoning.encrypted_content");
    }

    internal static string RequireField(JsonElement item, string name, string path) =>
        OptionalString(item, name, path) ?? throw Invalid($"{path}.{name} is required", $"{path}.{name}");

    internal static string? OptionalString(JsonElement item, string name, string path)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid($"{path}.{name} must be a string", $"{path}.{name}");
    }

    private static string RequireString(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid($"{name} must be a string", name);

    private static bool RequireBool(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Invalid($"{name} must be a boolean", name),
    };

    private static int RequireInteger(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var integer) ? integer : throw Invalid($"{name} must be an integer", name);

    private static double RequireNumber(JsonElement value, string name, double min, double max)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
        {
            throw Invalid($"{name} must be a number", name);
        }

        return number >= min && number <= max ? number : throw Invalid($"{name} must be between {min} and {max}, got {number}", name);
    }

    internal static GatewayException Invalid(string message, string param) => GatewayException.Invalid(message, param);
}
