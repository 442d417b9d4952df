using System.Text.Json;
using Switchyard.Compatibility;
using Switchyard.Errors;
using static Switchyard.OpenAI.Responses.ResponsesRequestParser;

namespace Switchyard.OpenAI.Responses;

/// <summary>
/// Reads Responses API items (a request's <c>input</c>): messages and their content parts, reasoning, function and
/// custom tool calls and their outputs. Item and part types the lane's table rejects are
/// 400s naming the place (<c>input[2].type</c>).
/// </summary>
public static class ResponseItemParser
{
    /// <summary>Parses an <c>input</c> array (or a string: one user message).</summary>
    /// <exception cref="GatewayException">An item is malformed or of a rejected type (400).</exception>
    public static IReadOnlyList<ResponseItem> ParseInput(JsonElement input, CompatibilityTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (input.ValueKind == JsonValueKind.String)
        {
            return [new MessageItem { Role = "user", Content = [new InputTextPart(input.GetString()!)] }];
        }

        if (input.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("input must be a string or an array of items", "input");
        }

        var items = new List<ResponseItem>(input.GetArrayLength());
        var index = 0;
        foreach (var element in input.EnumerateArray())
        {
            items.Add(ParseItem(element, $"input[{index++}]", table));
        }

        return items;
    }

    private static ResponseItem ParseItem(JsonElement item, string path, CompatibilityTable table)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"{path} must be an object", path);
        }

        var type = OptionalString(item, "type", path);
        if (type is null)
        {
            // An "easy input message": {role, content} without a type.
            type = item.TryGetProperty("role", out _) ? "message" : throw Invalid($"{path}.type is required", path + ".type");
        }

        var rule = table.Lookup(CompatibilityScope.Item, type);
        if (rule.Support == Support.Rejected)
        {
            throw Invalid($"{path}: item type '{type}' is not supported: {rule.Note}", path + ".type");
        }

        var id = OptionalString(item, "id", path);
        var status = OptionalString(item, "status", path);
        ResponseItem parsed = type switch
        {
            "message" => ParseMessage(item, path, table),
            "reasoning" => ParseReasoningItem(item, path),
            "function_call" => new FunctionCallItem
            {
                CallId = RequireCallId(item, path),
                Name = RequireField(item, "name", path),
                Arguments = RequireField(item, "arguments", path),
                Namespace = OptionalString(item, "namespace", path),
            },
            "function_call_output" => new FunctionCallOutputItem { CallId = RequireCallId(item, path), Output = RequireOutput(item, path, table) },
            "custom_tool_call" => new CustomToolCallItem
            {
                CallId = RequireCallId(item, path),
                Name = RequireField(item, "name", path),
                Input = RequireField(item, "input", path),
                Namespace = OptionalString(item, "namespace", path),
            },
            _ => new CustomToolCallOutputItem { CallId = RequireCallId(item, path), Output = RequireOutput(item, path, table) },
        };
        return parsed with { Id = id, Status = status };
    }

    private static MessageItem ParseMessage(JsonElement item, string path, CompatibilityTable table)
    {
        var role = RequireField(item, "role", path);
        if (role is not ("user" or "assistant" or "system" or "developer"))
        {
            throw Invalid($"{path}.role must be one of user, assistant, system, developer (got '{role}')", path + ".role");
        }

        if (!item.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            throw Invalid($"{path}.content is required", path + ".content");
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            var text = content.GetString()!;
            return new MessageItem { Role = role, Content = [role == "assistant" ? new OutputTextPart(text) : new InputTextPart(text)] };
        }

        return new MessageItem { Role = role, Content = ParseParts(content, path + ".content", table) };
    }

    /// <summary>Text parts of a message or a tool output; other part types are rejected by the table.</summary>
    private static List<ResponseContentPart> ParseParts(JsonElement content, string path, CompatibilityTable table)
    {
        if (content.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"{path} must be a string or an array of content parts", path);
        }

        var parts = new List<ResponseContentPart>(content.GetArrayLength());
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}[{index++}]";
            if (part.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"{partPath} must be an object", partPath);
            }

            var type = RequireField(part, "type", partPath);
            var rule = table.Lookup(CompatibilityScope.Part, type);
            if (rule.Support == Support.Rejected)
            {
                throw Invalid($"{partPath}: content type '{type}' is not supported: {rule.Note}", partPath + ".type");
            }

            parts.Add(type switch
            {
                "input_text" => new InputTextPart(RequireField(part, "text", partPath)),
                "output_text" => new OutputTextPart(RequireField(part, "text", partPath)),
                _ => new RefusalPart(RequireField(part, "refusal", partPath)),
            });
        }

        return parts;
    }

    private static ReasoningItem ParseReasoningItem(JsonElement item, string path) => new()
    {
        Summary = ReasoningTexts(item, "summary", path, static text => new SummaryTextPart(text)) ?? [],
        Content = ReasoningTexts(item, "content", path, static text => new ReasoningTextPart(text)),
        EncryptedContent = OptionalString(item, "encrypted_content", path),
    };

    private static List<ResponseContentPart>? ReasoningTexts(JsonElement item, string name, string path, Func<string, ResponseContentPart> create)
    {
        if (!item.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"{path}.{name} must be an array", $"{path}.{name}");
        }

        var parts = new List<ResponseContentPart>();
        var index = 0;
        foreach (var part in array.EnumerateArray())
        {
            var partPath = $"{path}.{name}[{index++}]";
            parts.Add(part.ValueKind == JsonValueKind.Object
                ? create(RequireField(part, "text", partPath))
                : throw Invalid($"{partPath} must be an object with a text", partPath));
        }

        return parts;
    }

    private static string RequireCallId(JsonElement item, string path)
    {
        var callId = OptionalString(item, "call_id", path);
        return string.IsNullOrEmpty(callId) ? throw Invalid($"{path}.call_id is required", path + ".call_id") : callId;
    }

    private static JsonElement RequireOutput(JsonElement item, string path, CompatibilityTable table)
    {
        if (!item.TryGetProperty("output", out var output) || output.ValueKind == JsonValueKind.Null)
        {
            throw Invalid($"{path}.output is required", path + ".output");
        }

        if (output.ValueKind == JsonValueKind.Array)
        {
            ParseParts(output, path + ".output", table);
        }
        else if (output.ValueKind != JsonValueKind.String)
        {
            throw Invalid($"{path}.output must be a string or an array of content parts", path + ".output");
        }

        return output.Clone();
    }
}
