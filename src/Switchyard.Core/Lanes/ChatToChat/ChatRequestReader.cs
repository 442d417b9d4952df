using System.Text.Json;
using Switchyard.Compatibility;
using Switchyard.Errors;
using Switchyard.Translation.StructuredOutput;

namespace Switchyard.Lanes.ChatToChat;

/// <summary>
/// Reads a Chat Completions request against <see cref="CompatibilityTables.ChatToChat"/> and DeepSeek's documented
/// field rules. Every problem is an OpenAI-style 400 naming the parameter, as DeepSeek would answer.
/// </summary>
public static class ChatRequestReader
{
    /// <summary>Reads <paramref name="body"/>; <paramref name="maxTokens"/> is the served model's output limit.</summary>
    /// <exception cref="GatewayException">The request is malformed or asks for what the lane rejects.</exception>
    public static ChatRequest Read(JsonElement body, int maxTokens)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.Invalid("The request body must be a JSON object.");
        }

        var table = CompatibilityTables.ChatToChat;
        var dropped = new List<string>();
        foreach (var property in body.EnumerateObject())
        {
            var rule = table.Lookup(CompatibilityScope.Field, property.Name);
            if (rule.Support == Support.Rejected)
            {
                throw Invalid($"{property.Name}: not supported: {rule.Note}", property.Name);
            }

            if (rule.Support == Support.Ignored)
            {
                dropped.Add(property.Name);
            }
        }

        var model = Models.ModelCatalog.RequireName(RequiredString(body, "model"));

        var prefix = ReadMessages(body, table);
        string? thinkingType = null;
        if (Get(body, "thinking") is { } thinking)
        {
            thinkingType = thinking.ValueKind == JsonValueKind.Object && Get(thinking, "type") is { ValueKind: JsonValueKind.String } type &&
                           type.GetString() is "enabled" or "adaptive" or "disabled"
                ? type.GetString()
                : throw Invalid("thinking must be {\"type\": \"enabled\"}, {\"type\": \"adaptive\"} or {\"type\": \"disabled\"}", "thinking");
            if (Get(thinking, "budget_tokens") is { } budget && (budget.ValueKind != JsonValueKind.Number || !budget.TryGetInt64(out _)))
            {
                throw Invalid("thinking.budget_tokens must be an integer", "thinking");
            }
        }

        var effort = OptionalString(body, "reasoning_effort");
        foreach (var name in new[] { "max_tokens", "max_completion_tokens" })
        {
            if (OptionalInteger(body, name) is { } value && (value < 1 || value > maxTokens))
            {
                throw Invalid($"Invalid max_tokens value, the valid range of max_tokens is [1, {maxTokens}]", name);
            }
        }

        Range(body, "temperature", 0, 2);
        Range(body, "top_p", 0, 1);
        Range(body, "presence_penalty", -2, 2);
        Range(body, "frequency_penalty", -2, 2);
        if (OptionalInteger(body, "n") is { } n && n != 1)
        {
            throw Invalid("n: only one choice is supported (DeepSeek always returns one)", "n");
        }

        ReadStop(body);
        var stream = OptionalBool(body, "stream") ?? false;
        var includeUsage = false;
        if (Get(body, "stream_options") is { } streamOptions)
        {
            if (!stream)
            {
                throw Invalid("stream_options should be set along with stream = true", "stream_options");
            }

            if (streamOptions.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("stream_options must be an object", "stream_options");
            }

            includeUsage = OptionalBool(streamOptions, "include_usage", "stream_options.include_usage") ?? false;
        }

        OutputSchema? outputSchema = null;
        if (Get(body, "response_format") is { } format)
        {
            var type = format.ValueKind == JsonValueKind.Object && Get(format, "type") is { ValueKind: JsonValueKind.String } t
                ? t.GetString()
                : throw Invalid("response_format must be an object with a type", "response_format");
            outputSchema = type switch
            {
                "text" or "json_object" => null,
                "json_schema" => OutputSchema.FromOpenAI(format),
                _ => throw Invalid($"response_format type '{type}' is not supported; use 'text', 'json_object' or 'json_schema'", "response_format"),
            };
        }

        var toolCount = ReadTools(body, table);
        var forced = ReadToolChoice(body, toolCount);
        if (OptionalBool(body, "logprobs") is var logprobs && OptionalInteger(body, "top_logprobs") is { } topLogprobs &&
            (topLogprobs is < 0 or > 20 || logprobs != true))
        {
            throw Invalid("top_logprobs must be between 0 and 20 and requires logprobs = true", "top_logprobs");
        }

        var clientUserId = OptionalString(body, "user_id") ?? OptionalString(body, "user");
        return new ChatRequest
        {
            Body = body,
            Model = model,
            Stream = stream,
            IncludeUsage = includeUsage,
            ThinkingType = thinkingType,
            ReasoningEffort = effort,
            ForcedToolChoice = forced,
            Prefix = prefix,
            OutputSchema = outputSchema,
            HasTools = toolCount > 0,
            ClientUserId = clientUserId,
            Dropped = dropped,
        };
    }

    /// <summary>Checks the messages; returns whether the last one is an assistant prefix.</summary>
    private static bool ReadMessages(JsonElement body, CompatibilityTable table)
    {
        var messages = Get(body, "messages") switch
        {
            null => throw Invalid("messages is required", "messages"),
            { ValueKind: JsonValueKind.Array } array => array,
            _ => throw Invalid("messages must be an array", "messages"),
        };
        var count = messages.GetArrayLength();
        if (count == 0)
        {
            throw Invalid("Empty input messages", "messages");
        }

        var index = 0;
        var prefix = false;
        foreach (var message in messages.EnumerateArray())
        {
            var path = $"messages[{index}]";
            if (message.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"{path} must be an object", "messages");
            }

            var role = Get(message, "role") is { ValueKind: JsonValueKind.String } r ? r.GetString()! : null;
            if (role is null || table.Lookup(CompatibilityScope.Role, role).Support == Support.Rejected)
            {
                throw Invalid($"{path}.role must be one of system, user, assistant, tool (got {(role is null ? "none" : $"'{role}'")})", "messages");
            }

            if (role == "assistant")
            {
                ReadAssistant(message, path);
                prefix = index == count - 1 && Get(message, "prefix") is { ValueKind: JsonValueKind.True };
            }
            else
            {
                if (role == "tool" && Get(message, "tool_call_id") is not { ValueKind: JsonValueKind.String })
                {
                    throw Invalid($"{path}.tool_call_id is required for tool messages", "messages");
                }

                ReadContent(message, path, required: true);
            }

            index++;
        }

        return prefix;
    }

    private static void ReadAssistant(JsonElement message, string path)
    {
        ReadContent(message, path, required: false);
        if (Get(message, "reasoning_content") is { } reasoning && reasoning.ValueKind != JsonValueKind.String)
        {
            throw Invalid($"{path}.reasoning_content must be a string", "messages");
        }

        if (Get(message, "tool_calls") is not { } toolCalls)
        {
            return;
        }

        if (toolCalls.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"{path}.tool_calls must be an array", "messages");
        }

        var j = 0;
        foreach (var call in toolCalls.EnumerateArray())
        {
            if (call.ValueKind != JsonValueKind.Object || Get(call, "id") is not { ValueKind: JsonValueKind.String } ||
                Get(call, "function") is not { ValueKind: JsonValueKind.Object } function ||
                Get(function, "name") is not { ValueKind: JsonValueKind.String } ||
                Get(function, "arguments") is { ValueKind: not JsonValueKind.String })
            {
                throw Invalid($"{path}.tool_calls[{j}] must have an id and a function with a name and string arguments", "messages");
            }

            j++;
        }
    }

    private static void ReadContent(JsonElement message, string path, bool required)
    {
        switch (Get(message, "content"))
        {
            case null when required:
                throw Invalid($"{path}.content is required", "messages");
            case null:
                return;
            case { ValueKind: JsonValueKind.String }:
                return;
            case { ValueKind: JsonValueKind.Array } parts:
                var k = 0;
                foreach (var part in parts.EnumerateArray())
                {
                    if (part.ValueKind != JsonValueKind.Object || Get(part, "type") is not { ValueKind: JsonValueKind.String })
                    {
                        throw Invalid($"{path}.content[{k}] must be a content part with a type", "messages");
                    }

                    k++;
                }

                return;
            default:
                throw Invalid($"{path}.content must be a string or an array of content parts", "messages");
        }
    }

    private static void ReadStop(JsonElement body)
    {
        switch (Get(body, "stop"))
        {
            case null:
            case { ValueKind: JsonValueKind.String }:
                return;
            case { ValueKind: JsonValueKind.Array } stops when stops.GetArrayLength() <= 16 && stops.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String):
                return;
            default:
                throw Invalid("stop must be a string or an array of at most 16 strings", "stop");
        }
    }

    private static int ReadTools(JsonElement body, CompatibilityTable table)
    {
        if (Get(body, "tools") is not { } tools)
        {
            return 0;
        }

        if (tools.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("tools must be an array", "tools");
        }

        var count = tools.GetArrayLength();
        if (count > 128)
        {
            throw Invalid($"tools: at most 128 tools are supported, got {count}", "tools");
        }

        var i = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var type = tool.ValueKind == JsonValueKind.Object && Get(tool, "type") is { ValueKind: JsonValueKind.String } t ? t.GetString()! : null;
            if (type is not null && table.Lookup(CompatibilityScope.Tool, type) is { Support: Support.Rejected } rule)
            {
                throw Invalid($"tools[{i}].type '{type}' is not supported: {rule.Note}", "tools");
            }

            if (type is null || Get(tool, "function") is not { ValueKind: JsonValueKind.Object } function ||
                Get(function, "name") is not { ValueKind: JsonValueKind.String } nameElement)
            {
                throw Invalid($"tools[{i}] must be {{\"type\":\"function\",\"function\":{{\"name\":…}}}}", "tools");
            }

            var name = nameElement.GetString()!;
            if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                throw Invalid($"tools[{i}].function.name '{name}' must match ^[a-zA-Z0-9_-]{{1,64}}$", "tools");
            }

            if (Get(function, "parameters") is { ValueKind: not JsonValueKind.Object })
            {
                throw Invalid($"tools[{i}].function.parameters must be a JSON Schema object", "tools");
            }

            i++;
        }

        return count;
    }

    /// <summary>Checks <c>tool_choice</c>; returns whether it forces a tool call.</summary>
    private static bool ReadToolChoice(JsonElement body, int toolCount)
    {
        switch (Get(body, "tool_choice"))
        {
            case null:
                return false;
            case { ValueKind: JsonValueKind.String } value when value.GetString() is "none" or "auto":
                return false;
            case { ValueKind: JsonValueKind.String } value when value.GetString() == "required":
                return toolCount > 0;
            case { ValueKind: JsonValueKind.Object } choice when Get(choice, "function") is { ValueKind: JsonValueKind.Object } function &&
                                                              Get(function, "name") is { ValueKind: JsonValueKind.String }:
                return toolCount > 0;
            default:
                throw Invalid("tool_choice must be none, auto, required or {\"type\":\"function\",\"function\":{\"name\":…}}", "tool_choice");
        }
    }

    private static JsonElement? Get(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string RequiredString(JsonElement body, string name) => Get(body, name) switch
    {
        null => throw Invalid($"{name} is required", name),
        { ValueKind: JsonValueKind.String } value => value.GetString()!,
        _ => throw Invalid($"{name} must be a string", name),
    };

    private static string? OptionalString(JsonElement body, string name) => Get(body, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        _ => throw Invalid($"{name} must be a string", name),
    };

    private static bool? OptionalBool(JsonElement obj, string name, string? param = null) => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw Invalid($"{param ?? name} must be a boolean", param ?? name),
    };

    private static long? OptionalInteger(JsonElement body, string name) => Get(body, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt64(out var integer) => integer,
        { ValueKind: JsonValueKind.Number } value when value.TryGetDouble(out var number) && number == Math.Floor(number) && Math.Abs(number) < long.MaxValue => (long)number,
        _ => throw Invalid($"{name} must be an integer", name),
    };

    private static void Range(JsonElement body, string name, double min, double max)
    {
        if (Get(body, name) is not { } value)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
        {
            throw Invalid($"{name} must be a number", name);
        }

        if (number < min || number > max)
        {
            throw Invalid($"{name} must be between {min} and {max}, got {number}", name);
        }
    }

    private static GatewayException Invalid(string message, string param) => GatewayException.Invalid(message, param);
}
