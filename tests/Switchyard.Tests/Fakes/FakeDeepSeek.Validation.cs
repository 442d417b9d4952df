using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Switchyard.Tests.Fakes;

// Request validation, following DeepSeek's API documentation (request rules, the V4 reasoning_content rule, errors).
public sealed partial class FakeDeepSeek
{
    /// <summary>Exact 400 message for a missing reasoning_content on a tool-call turn in thinking mode (doc §2, V4).</summary>
    public const string ReasoningContentMissingMessage = "The `reasoning_content` in the thinking mode must be passed back to the API.";

    /// <summary>400 message for tool_choice required / named function in thinking mode (doc §1).</summary>
    public const string ThinkingToolChoiceMessage = "Thinking mode does not support this tool_choice";

    /// <summary>400 message for a tool_calls assistant message without matching tool messages.</summary>
    public const string MissingToolMessagesMessage =
        "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. (insufficient tool messages following tool_calls message)";

    /// <summary>Upper bound of max_tokens for chat completions (V4: 384K).</summary>
    public const int MaxChatTokens = 393216;

    /// <summary>Upper bound of max_tokens for FIM completions.</summary>
    public const int MaxFimTokens = 4096;

    /// <summary>Models accepted by the fake.</summary>
    public static IReadOnlyList<string> KnownModels { get; } = ["deepseek-v4-flash", "deepseek-v4-pro", "deepseek-chat", "deepseek-reasoner"];

    private sealed class BadRequestException(string message) : Exception(message);

    private sealed record ChatInfo(
        string Model, bool Thinking, bool Stream, bool IncludeUsage, long? MaxTokens,
        IReadOnlyList<string> Stop, string LastUserText, int PromptChars);

    private sealed record FimInfo(
        string Model, string Prompt, string? Suffix, bool Echo, bool Stream, bool IncludeUsage, long? MaxTokens, IReadOnlyList<string> Stop);

    private static readonly string[] Roles = ["system", "user", "assistant", "tool"];

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex ToolNameRegex();

    [GeneratedRegex("^[a-zA-Z0-9_-]{0,512}$")]
    private static partial Regex UserIdRegex();

    private static BadRequestException Bad(string message) => new(message);

    private static BadRequestException Deser(string detail) =>
        new("Failed to deserialize the JSON body into the target type: " + detail);

    private static JsonObject ParseObject(string body)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw Deser(e.Message);
        }
        return node as JsonObject ?? throw Deser("invalid type: expected a JSON object");
    }

    private static JsonNode? Get(JsonObject o, string name) => o.TryGetPropertyValue(name, out var v) ? v : null;

    private static bool Has(JsonObject o, string name) => o.TryGetPropertyValue(name, out var v) && v is not null;

    private static string? GetString(JsonObject o, string name, string path)
    {
        var v = Get(o, name);
        if (v is null) return null;
        if (v is JsonValue jv && jv.GetValueKind() == JsonValueKind.String) return jv.GetValue<string>();
        throw Deser($"{path}: invalid type: {Kind(v)}, expected a string");
    }

    private static bool? GetBool(JsonObject o, string name)
    {
        var v = Get(o, name);
        if (v is null) return null;
        return v.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Deser($"{name}: invalid type: {Kind(v)}, expected a boolean"),
        };
    }

    private static double? GetNumber(JsonObject o, string name)
    {
        var v = Get(o, name);
        if (v is null) return null;
        if (v.GetValueKind() != JsonValueKind.Number) throw Deser($"{name}: invalid type: {Kind(v)}, expected a number");
        return v.GetValue<double>();
    }

    private static long? GetInteger(JsonObject o, string name)
    {
        var v = Get(o, name);
        if (v is null) return null;
        if (v.GetValueKind() != JsonValueKind.Number) throw Deser($"{name}: invalid type: {Kind(v)}, expected an integer");
        var d = v.GetValue<double>();
        if (d != Math.Floor(d)) throw Deser($"{name}: invalid type: floating point `{d}`, expected an integer");
        return (long)Math.Clamp(d, long.MinValue / 2, long.MaxValue / 2);
    }

    private static string Kind(JsonNode? v) => v?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "sequence",
        JsonValueKind.Object => "map",
        _ => "value",
    };

    /// <summary>Thinking mode: thinking.type "enabled", or thinking absent on V4 models (default on), or deepseek-reasoner.</summary>
    private static bool IsThinking(JsonObject req, string model)
    {
        string? type = null;
        if (Get(req, "thinking") is { } t)
        {
            if (t is not JsonObject to) throw Deser($"thinking: invalid type: {Kind(t)}, expected a map");
            type = GetString(to, "type", "thinking.type") ?? throw Deser("thinking: missing field `type`");
            if (type is not ("enabled" or "disabled"))
                throw Deser($"thinking.type: unknown variant `{type}`, expected `enabled` or `disabled`");
        }
        var effort = Get(req, "reasoning_effort") is JsonValue ev && ev.GetValueKind() == JsonValueKind.String ? ev.GetValue<string>() : null;
        if (model == "deepseek-reasoner") return true;
        if (type is not null) return type == "enabled";
        if (effort == "none") return false;
        return model.StartsWith("deepseek-v4", StringComparison.Ordinal);
    }

    private static string ValidateModel(JsonObject req)
    {
        if (!Has(req, "model")) throw Deser("missing field `model`");
        var model = GetString(req, "model", "model")!;
        if (!KnownModels.Contains(model)) throw Bad("Model Not Exist");
        return model;
    }

    private static IReadOnlyList<string> ValidateStop(JsonObject req)
    {
        var v = Get(req, "stop");
        if (v is null) return [];
        if (v.GetValueKind() == JsonValueKind.String) return [v.GetValue<string>()];
        if (v is JsonArray arr)
        {
            if (arr.Count > 16) throw Bad("Invalid stop value, the max number of stop sequences is 16");
            var list = new List<string>();
            foreach (var s in arr)
            {
                if (s is null || s.GetValueKind() != JsonValueKind.String) throw Deser($"stop: invalid type: {Kind(s)}, expected a string");
                list.Add(s.GetValue<string>());
            }
            return list;
        }
        throw Deser($"stop: invalid type: {Kind(v)}, expected a string or a sequence of strings");
    }

    private static (bool Stream, bool IncludeUsage) ValidateStream(JsonObject req)
    {
        var stream = GetBool(req, "stream") ?? false;
        var includeUsage = false;
        if (Get(req, "stream_options") is { } so)
        {
            if (!stream) throw Bad("The 'stream_options' parameter is only allowed when 'stream' is enabled.");
            if (so is not JsonObject soo) throw Deser($"stream_options: invalid type: {Kind(so)}, expected a map");
            includeUsage = GetBool(soo, "include_usage") ?? false;
        }
        return (stream, includeUsage);
    }

    private static void ValidateSampling(JsonObject req)
    {
        if (GetNumber(req, "temperature") is { } t && (t < 0 || t > 2))
            throw Bad("Invalid temperature value, the valid range of temperature is [0, 2]");
        if (GetNumber(req, "top_p") is { } p && (p <= 0 || p > 1))
            throw Bad("Invalid top_p value, the valid range of top_p is (0, 1]");
        foreach (var name in new[] { "presence_penalty", "frequency_penalty" })
        {
            if (GetNumber(req, name) is { } x && (x < -2 || x > 2))
                throw Bad($"Invalid {name} value, the valid range of {name} is [-2, 2]");
        }
    }

    private static long? ValidateMaxTokens(JsonObject req, long max)
    {
        var mt = GetInteger(req, "max_tokens");
        if (mt is { } m && (m < 1 || m > max))
            throw Bad($"Invalid max_tokens value, the valid range of max_tokens is [1, {max}]");
        return mt;
    }

    /// <summary>Text of a string content or an array of text parts; throws on other part types.</summary>
    private static string ContentText(JsonNode? content, string path, bool required)
    {
        switch (content)
        {
            case null:
                if (required) throw Deser($"{path}: invalid type: null, expected a string or a sequence of content parts");
                return "";
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return v.GetValue<string>();
            case JsonArray parts:
                var sb = new StringBuilder();
                for (var k = 0; k < parts.Count; k++)
                {
                    if (parts[k] is not JsonObject part) throw Deser($"{path}[{k}]: invalid type: {Kind(parts[k])}, expected a map");
                    var type = GetString(part, "type", $"{path}[{k}].type") ?? throw Deser($"{path}[{k}]: missing field `type`");
                    if (type != "text") throw Deser($"{path}[{k}]: unknown variant `{type}`, expected `text`");
                    sb.Append(GetString(part, "text", $"{path}[{k}].text") ?? throw Deser($"{path}[{k}]: missing field `text`"));
                }
                return sb.ToString();
            default:
                throw Deser($"{path}: invalid type: {Kind(content)}, expected a string or a sequence of content parts");
        }
    }

    private static ChatInfo ValidateChat(JsonObject req, bool beta)
    {
        // --- shape / deserialization ---
        if (!Has(req, "model")) throw Deser("missing field `model`");
        if (!Has(req, "messages")) throw Deser("missing field `messages`");
        if (Get(req, "messages") is not JsonArray messages) throw Deser($"messages: invalid type: {Kind(Get(req, "messages"))}, expected a sequence");
        var (stream, includeUsage) = ValidateStream(req);
        var stop = ValidateStop(req);
        var promptChars = 0;
        var lastUserText = "";
        var roles = new string[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            var path = $"messages[{i}]";
            if (messages[i] is not JsonObject m) throw Deser($"{path}: invalid type: {Kind(messages[i])}, expected internally tagged enum Message");
            var role = GetString(m, "role", $"{path}.role") ?? throw Deser($"{path}: missing field `role`");
            if (!Roles.Contains(role))
                throw Deser($"{path}: unknown variant `{role}`, expected one of `system`, `user`, `assistant`, `tool`");
            roles[i] = role;
            GetString(m, "name", $"{path}.name");
            switch (role)
            {
                case "system":
                case "user":
                    if (!m.ContainsKey("content")) throw Deser($"{path}: missing field `content`");
                    var text = ContentText(Get(m, "content"), $"{path}.content", required: true);
                    promptChars += text.Length;
                    if (role == "user") lastUserText = text;
                    break;
                case "assistant":
                    promptChars += ContentText(Get(m, "content"), $"{path}.content", required: false).Length;
                    promptChars += GetString(m, "reasoning_content", $"{path}.reasoning_content")?.Length ?? 0;
                    if (GetBool(m, "prefix") == true)
                    {
                        if (!beta) throw Bad("Prefix completion (assistant message with `prefix: true`) is only supported on the beta API (base_url=https://api.deepseek.com/beta)");
                        if (i != messages.Count - 1) throw Bad("Only the last message can be an assistant message with `prefix: true`");
                    }
                    if (Get(m, "tool_calls") is { } tcs)
                    {
                        if (tcs is not JsonArray tca) throw Deser($"{path}.tool_calls: invalid type: {Kind(tcs)}, expected a sequence");
                        for (var k = 0; k < tca.Count; k++)
                        {
                            var tp = $"{path}.tool_calls[{k}]";
                            if (tca[k] is not JsonObject tc) throw Deser($"{tp}: invalid type: {Kind(tca[k])}, expected a map");
                            if (GetString(tc, "id", $"{tp}.id") is null) throw Deser($"{tp}: missing field `id`");
                            var type = GetString(tc, "type", $"{tp}.type") ?? throw Deser($"{tp}: missing field `type`");
                            if (type != "function") throw Deser($"{tp}.type: unknown variant `{type}`, expected `function`");
                            if (Get(tc, "function") is not JsonObject fn) throw Deser($"{tp}: missing field `function`");
                            var name = GetString(fn, "name", $"{tp}.function.name") ?? throw Deser($"{tp}.function: missing field `name`");
                            var args = GetString(fn, "arguments", $"{tp}.function.arguments") ?? throw Deser($"{tp}.function: missing field `arguments`");
                            promptChars += name.Length + args.Length;
                        }
                    }
                    break;
                case "tool":
                    if (GetString(m, "tool_call_id", $"{path}.tool_call_id") is null) throw Deser($"{path}: missing field `tool_call_id`");
                    if (!m.ContainsKey("content")) throw Deser($"{path}: missing field `content`");
                    promptChars += ContentText(Get(m, "content"), $"{path}.content", required: true).Length;
                    break;
            }
        }

        var toolCount = ValidateTools(req, beta);
        if (Get(req, "tools") is { } toolsNode) promptChars += toolsNode.ToJsonString().Length;
        var toolChoice = ValidateToolChoice(req);
        var responseFormat = ValidateResponseFormat(req);
        ValidateSampling(req);
        if (GetBool(req, "logprobs") is var logprobs && GetInteger(req, "top_logprobs") is { } tl)
        {
            if (tl < 0 || tl > 20) throw Bad("Invalid top_logprobs value, the valid range of top_logprobs is [0, 20]");
            if (logprobs != true) throw Bad("top_logprobs requires logprobs to be true");
        }
        if (GetString(req, "user_id", "user_id") is { } uid && !UserIdRegex().IsMatch(uid))
            throw Bad("Invalid user_id: must match [a-zA-Z0-9_-] and be at most 512 characters");

        // --- semantic ---
        var model = ValidateModel(req);
        var maxTokens = ValidateMaxTokens(req, MaxChatTokens);
        if (messages.Count == 0) throw Bad("Empty input messages");
        var thinking = IsThinking(req, model);
        if (thinking && toolChoice is "required" or "function")
            throw Bad(ThinkingToolChoiceMessage);
        _ = toolCount;

        ValidateToolPairing(messages, roles);

        if (thinking)
        {
            for (var i = 0; i < messages.Count - 1; i++)
            {
                var m = (JsonObject)messages[i]!;
                if (roles[i] == "assistant" && Get(m, "tool_calls") is JsonArray { Count: > 0 } && Get(m, "reasoning_content") is null)
                    throw Bad(ReasoningContentMissingMessage);
            }
        }

        if (responseFormat == "json_object")
        {
            var mentionsJson = false;
            for (var i = 0; i < messages.Count; i++)
            {
                if (roles[i] is "system" or "user" &&
                    ContentText(Get((JsonObject)messages[i]!, "content"), "content", false).Contains("json", StringComparison.OrdinalIgnoreCase))
                    mentionsJson = true;
            }
            if (!mentionsJson)
                throw Bad("Prompt must contain the word 'json' in some form to use 'response_format' of type 'json_object'.");
        }

        return new ChatInfo(model, thinking, stream, includeUsage, maxTokens, stop, lastUserText, promptChars);
    }

    private static void ValidateToolPairing(JsonArray messages, string[] roles)
    {
        HashSet<string>? pending = null;
        for (var i = 0; i < messages.Count; i++)
        {
            var m = (JsonObject)messages[i]!;
            if (roles[i] == "tool")
            {
                var id = GetString(m, "tool_call_id", "tool_call_id")!;
                if (pending is null || !pending.Remove(id))
                    throw Bad($"Messages with role 'tool' must be a response to a preceding message with 'tool_calls' (messages[{i}].tool_call_id `{id}` does not match any pending tool call)");
                continue;
            }
            if (pending is { Count: > 0 }) throw Bad(MissingToolMessagesMessage);
            pending = null;
            if (roles[i] == "assistant" && Get(m, "tool_calls") is JsonArray { Count: > 0 } calls)
            {
                pending = new HashSet<string>(StringComparer.Ordinal);
                foreach (var c in calls) pending.Add(GetString((JsonObject)c!, "id", "id")!);
            }
        }
        if (pending is { Count: > 0 }) throw Bad(MissingToolMessagesMessage);
    }

    private static int ValidateTools(JsonObject req, bool beta)
    {
        var v = Get(req, "tools");
        if (v is null) return 0;
        if (v is not JsonArray tools) throw Deser($"tools: invalid type: {Kind(v)}, expected a sequence");
        if (tools.Count > 128) throw Bad("Invalid tools: the maximum number of tools is 128");
        for (var i = 0; i < tools.Count; i++)
        {
            var path = $"tools[{i}]";
            if (tools[i] is not JsonObject t) throw Deser($"{path}: invalid type: {Kind(tools[i])}, expected a map");
            var type = GetString(t, "type", $"{path}.type") ?? throw Deser($"{path}: missing field `type`");
            if (type != "function") throw Deser($"{path}.type: unknown variant `{type}`, expected `function`");
            if (Get(t, "function") is not JsonObject fn) throw Deser($"{path}: missing field `function`");
            var name = GetString(fn, "name", $"{path}.function.name") ?? throw Deser($"{path}.function: missing field `name`");
            if (!ToolNameRegex().IsMatch(name))
                throw Bad($"Invalid '{path}.function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]{{1,64}}$'.");
            GetString(fn, "description", $"{path}.function.description");
            if (Get(fn, "parameters") is { } p && p is not JsonObject)
                throw Deser($"{path}.function.parameters: invalid type: {Kind(p)}, expected a map");
            if (GetBool(fn, "strict") == true && !beta)
                throw Bad("Strict mode tools (`strict: true`) are only supported on the beta API (base_url=https://api.deepseek.com/beta)");
        }
        return tools.Count;
    }

    /// <returns>"none" | "auto" | "required" | "function" | null (absent).</returns>
    private static string? ValidateToolChoice(JsonObject req)
    {
        var v = Get(req, "tool_choice");
        if (v is null) return null;
        if (v.GetValueKind() == JsonValueKind.String)
        {
            var s = v.GetValue<string>();
            if (s is "none" or "auto" or "required") return s;
            throw Deser($"tool_choice: unknown variant `{s}`, expected one of `none`, `auto`, `required`");
        }
        if (v is JsonObject o)
        {
            var type = GetString(o, "type", "tool_choice.type") ?? throw Deser("tool_choice: missing field `type`");
            if (type != "function") throw Deser($"tool_choice.type: unknown variant `{type}`, expected `function`");
            if (Get(o, "function") is not JsonObject fn || GetString(fn, "name", "tool_choice.function.name") is null)
                throw Deser("tool_choice.function: missing field `name`");
            return "function";
        }
        throw Deser($"tool_choice: invalid type: {Kind(v)}, expected a string or a map");
    }

    private static string? ValidateResponseFormat(JsonObject req)
    {
        var v = Get(req, "response_format");
        if (v is null) return null;
        if (v is not JsonObject o) throw Deser($"response_format: invalid type: {Kind(v)}, expected a map");
        var type = GetString(o, "type", "response_format.type") ?? throw Deser("response_format: missing field `type`");
        return type switch
        {
            "text" or "json_object" => type,
            "json_schema" => throw Bad("This response_format type is unavailable now"),
            _ => throw Deser($"response_format.type: unknown variant `{type}`, expected `text` or `json_object`"),
        };
    }

    private static FimInfo ValidateFim(JsonObject req)
    {
        if (!Has(req, "model")) throw Deser("missing field `model`");
        if (!Has(req, "prompt")) throw Deser("missing field `prompt`");
        var prompt = GetString(req, "prompt", "prompt")!;
        var suffix = GetString(req, "suffix", "suffix");
        var echo = GetBool(req, "echo") ?? false;
        var (stream, includeUsage) = ValidateStream(req);
        var stop = ValidateStop(req);
        ValidateSampling(req);
        if (GetInteger(req, "logprobs") is { } lp && (lp < 0 || lp > 20))
            throw Bad("Invalid logprobs value, the valid range of logprobs is [0, 20]");
        var model = ValidateModel(req);
        var maxTokens = ValidateMaxTokens(req, MaxFimTokens);
        if (Get(req, "thinking") is JsonObject t && GetString(t, "type", "thinking.type") == "enabled" || model == "deepseek-reasoner")
            throw Bad("FIM completion is not supported in thinking mode");
        return new FimInfo(model, prompt, suffix, echo, stream, includeUsage, maxTokens, stop);
    }
}
