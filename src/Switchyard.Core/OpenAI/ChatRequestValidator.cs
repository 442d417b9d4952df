using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Errors;

namespace Switchyard.OpenAI;

/// <summary>
/// Validates a Chat Completions request the way DeepSeek documents its fields, and normalises what OpenAI
/// clients send that DeepSeek lacks: <c>developer</c> messages become <c>system</c> messages, <c>user</c> becomes a
/// sanitised <c>user_id</c>, and undocumented fields (<c>seed</c>, <c>logit_bias</c>, <c>parallel_tool_calls</c>,
/// <c>service_tier</c>, <c>store</c>, <c>metadata</c>) are dropped. Errors are OpenAI-style 400s naming the parameter.
/// </summary>
public static class ChatRequestValidator
{
    private static readonly string[] DroppedFields = ["seed", "logit_bias", "parallel_tool_calls", "service_tier", "store", "metadata", "modalities", "prediction", "audio", "web_search_options"];

    /// <summary>Validates <paramref name="body"/> in place; <paramref name="maxTokens"/> is the model's output limit.</summary>
    public static void Validate(JsonObject body, int maxTokens)
    {
        ArgumentNullException.ThrowIfNull(body);
        RequireString(body, "model");
        Models.ModelCatalog.RequireName(body["model"]!.GetValue<string>());
        ValidateMessages(body);
        if (body["thinking"] is { } thinking)
        {
            if (thinking is not JsonObject thinkingObject || thinkingObject["type"]?.GetValueKind() != JsonValueKind.String ||
                thinkingObject["type"]!.GetValue<string>() is not ("enabled" or "disabled"))
            {
                throw Invalid("thinking must be {\"type\": \"enabled\"} or {\"type\": \"disabled\"}", "thinking");
            }
        }

        OptionalString(body, "reasoning_effort");
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

        ValidateStop(body);
        var stream = body["stream"] is { } streamNode && IsBool(streamNode, "stream") && streamNode.GetValue<bool>();
        if (body["stream_options"] is { } streamOptions)
        {
            if (!stream)
            {
                throw Invalid("stream_options should be set along with stream = true", "stream_options");
            }

            if (streamOptions is not JsonObject)
            {
                throw Invalid("stream_options must be an object", "stream_options");
            }
        }

        if (body["response_format"] is { } format)
        {
            var type = format is JsonObject formatObject && formatObject["type"]?.GetValueKind() == JsonValueKind.String
                ? formatObject["type"]!.GetValue<string>()
                : throw Invalid("response_format must be an object with a type", "response_format");
            if (type is not ("text" or "json_object"))
            {
                throw Invalid($"response_format type '{type}' is not supported; use 'text' or 'json_object'", "response_format");
            }
        }

        ValidateTools(body);
        if (body["logprobs"] is { } logprobs)
        {
            IsBool(logprobs, "logprobs");
        }

        if (OptionalInteger(body, "top_logprobs") is { } topLogprobs &&
            (topLogprobs is < 0 or > 20 || body["logprobs"]?.GetValue<bool>() != true))
        {
            throw Invalid("top_logprobs must be between 0 and 20 and requires logprobs = true", "top_logprobs");
        }

        Normalise(body);
    }

    private static void Normalise(JsonObject body)
    {
        foreach (var name in DroppedFields)
        {
            body.Remove(name);
        }

        if (body["user"] is { } user)
        {
            body.Remove("user");
            if (body["user_id"] is null && user.GetValueKind() == JsonValueKind.String &&
                Translation.RequestTranslator.SanitizeUserId(user.GetValue<string>()) is { } userId)
            {
                body["user_id"] = userId;
            }
        }
        else if (OptionalString(body, "user_id") is { } userId)
        {
            body["user_id"] = Translation.RequestTranslator.SanitizeUserId(userId);
        }
    }

    private static void ValidateMessages(JsonObject body)
    {
        if (body["messages"] is not JsonArray messages)
        {
            throw Invalid(body["messages"] is null ? "messages is required" : "messages must be an array", "messages");
        }

        if (messages.Count == 0)
        {
            throw Invalid("Empty input messages", "messages");
        }

        for (var i = 0; i < messages.Count; i++)
        {
            var path = $"messages[{i}]";
            if (messages[i] is not JsonObject message)
            {
                throw Invalid($"{path} must be an object", "messages");
            }

            var role = message["role"]?.GetValueKind() == JsonValueKind.String ? message["role"]!.GetValue<string>() : null;
            switch (role)
            {
                case "developer":
                    message["role"] = "system";
                    ValidateContent(message, path, allowParts: true);
                    break;
                case "system":
                    ValidateContent(message, path, allowParts: true);
                    break;
                case "user":
                    ValidateContent(message, path, allowParts: true);
                    break;
                case "assistant":
                    ValidateAssistant(message, path);
                    break;
                case "tool":
                    if (message["tool_call_id"]?.GetValueKind() != JsonValueKind.String)
                    {
                        throw Invalid($"{path}.tool_call_id is required for tool messages", "messages");
                    }

                    ValidateContent(message, path, allowParts: true);
                    break;
                default:
                    throw Invalid($"{path}.role must be one of system, user, assistant, tool (got {(role is null ? "none" : $"'{role}'")})", "messages");
            }
        }
    }

    private static void ValidateAssistant(JsonObject message, string path)
    {
        if (message["content"] is not null)
        {
            ValidateContent(message, path, allowParts: true);
        }

        if (message["reasoning_content"] is { } reasoning && reasoning.GetValueKind() != JsonValueKind.String)
        {
            throw Invalid($"{path}.reasoning_content must be a string", "messages");
        }

        if (message["tool_calls"] is not { } toolCalls)
        {
            return;
        }

        if (toolCalls is not JsonArray calls)
        {
            throw Invalid($"{path}.tool_calls must be an array", "messages");
        }

        for (var j = 0; j < calls.Count; j++)
        {
            if (calls[j] is not JsonObject call || call["id"]?.GetValueKind() != JsonValueKind.String ||
                call["function"] is not JsonObject function || function["name"]?.GetValueKind() != JsonValueKind.String ||
                function["arguments"]?.GetValueKind() is not (JsonValueKind.String or null))
            {
                throw Invalid($"{path}.tool_calls[{j}] must have an id and a function with a name and string arguments", "messages");
            }
        }
    }

    private static void ValidateContent(JsonObject message, string path, bool allowParts)
    {
        switch (message["content"])
        {
            case null:
                throw Invalid($"{path}.content is required", "messages");
            case JsonArray parts when allowParts:
                for (var k = 0; k < parts.Count; k++)
                {
                    if (parts[k] is not JsonObject part || part["type"]?.GetValueKind() != JsonValueKind.String)
                    {
                        throw Invalid($"{path}.content[{k}] must be a content part with a type", "messages");
                    }
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                break;
            default:
                throw Invalid($"{path}.content must be a string or an array of content parts", "messages");
        }
    }

    private static void ValidateStop(JsonObject body)
    {
        switch (body["stop"])
        {
            case null:
                return;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return;
            case JsonArray stops when stops.Count <= 16 && stops.All(s => s?.GetValueKind() == JsonValueKind.String):
                return;
            default:
                throw Invalid("stop must be a string or an array of at most 16 strings", "stop");
        }
    }

    private static void ValidateTools(JsonObject body)
    {
        if (body["tools"] is { } toolsNode)
        {
            if (toolsNode is not JsonArray tools)
            {
                throw Invalid("tools must be an array", "tools");
            }

            if (tools.Count > 128)
            {
                throw Invalid($"tools: at most 128 tools are supported, got {tools.Count}", "tools");
            }

            for (var i = 0; i < tools.Count; i++)
            {
                if (tools[i] is not JsonObject tool || tool["type"]?.GetValueKind() != JsonValueKind.String || tool["type"]!.GetValue<string>() != "function" ||
                    tool["function"] is not JsonObject function || function["name"]?.GetValueKind() != JsonValueKind.String)
                {
                    throw Invalid($"tools[{i}] must be {{\"type\":\"function\",\"function\":{{\"name\":…}}}}", "tools");
                }

                var name = function["name"]!.GetValue<string>();
                if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                {
                    throw Invalid($"tools[{i}].function.name '{name}' must match ^[a-zA-Z0-9_-]{{1,64}}$", "tools");
                }

                if (function["parameters"] is { } parameters && parameters is not JsonObject)
                {
                    throw Invalid($"tools[{i}].function.parameters must be a JSON Schema object", "tools");
                }
            }
        }

        switch (body["tool_choice"])
        {
            case null:
                return;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is "none" or "auto" or "required":
                return;
            case JsonObject choice when choice["function"] is JsonObject function && function["name"]?.GetValueKind() == JsonValueKind.String:
                return;
            default:
                throw Invalid("tool_choice must be none, auto, required or {\"type\":\"function\",\"function\":{\"name\":…}}", "tool_choice");
        }
    }

    private static void RequireString(JsonObject body, string name)
    {
        if (body[name]?.GetValueKind() != JsonValueKind.String)
        {
            throw Invalid(body[name] is null ? $"{name} is required" : $"{name} must be a string", name);
        }
    }

    private static string? OptionalString(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw Invalid($"{name} must be a string", name),
    };

    private static long? OptionalInteger(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var integer) => integer,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var number) && number == Math.Floor(number) && Math.Abs(number) < long.MaxValue => (long)number,
        _ => throw Invalid($"{name} must be an integer", name),
    };

    private static void Range(JsonObject body, string name, double min, double max)
    {
        if (body[name] is null)
        {
            return;
        }

        if (body[name] is not JsonValue value || value.GetValueKind() != JsonValueKind.Number || !value.TryGetValue<double>(out var number))
        {
            throw Invalid($"{name} must be a number", name);
        }

        if (number < min || number > max)
        {
            throw Invalid($"{name} must be between {min} and {max}, got {number}", name);
        }
    }

    private static bool IsBool(JsonNode node, string name) =>
        node.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? true : throw Invalid($"{name} must be a boolean", name);

    private static GatewayException Invalid(string message, string param) => GatewayException.Invalid(message, param);
}
