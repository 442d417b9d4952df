using System.Text;
using System.Text.Json;
using Switchyard.Anthropic;
using Switchyard.Compatibility;
using Switchyard.Errors;
using Switchyard.Memory;
using static Switchyard.Translation.ChatToMessages.ChatFieldReader;

namespace Switchyard.Translation.ChatToMessages;

/// <summary>
/// Reads Chat Completions <c>messages</c> into Anthropic turns, checking roles and content parts against
/// <see cref="CompatibilityTables.ChatToMessages"/>: leading <c>system</c>/<c>developer</c> messages become the system
/// prompt, later ones stay system turns at their position; <c>tool</c> messages become <c>tool_result</c> blocks;
/// an assistant message gets back the signed thinking blocks the reasoning memory knows for it; same-role turns merge.
/// </summary>
internal sealed class ChatConversationReader(IReasoningMemory memory)
{
    private static CompatibilityTable Table => CompatibilityTables.ChatToMessages;

    /// <summary>Reads <paramref name="messages"/> (a non-empty array).</summary>
    /// <returns>The system prompt's texts and the turns, tool results first in each user turn.</returns>
    public (List<string> System, List<MessageParam> Turns) Read(JsonElement messages)
    {
        var system = new List<string>();
        var turns = new List<(string Role, List<ContentBlockParam> Blocks)>();
        var leading = true;
        var count = messages.GetArrayLength();
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var path = $"messages[{index}]";
            var isLast = index++ == count - 1;
            if (message.ValueKind != JsonValueKind.Object)
            {
                throw GatewayException.Invalid($"{path}: expected a message object.", path);
            }

            if (!message.TryGetProperty("role", out var roleElement) || roleElement.ValueKind != JsonValueKind.String)
            {
                throw GatewayException.Invalid($"{path}.role: required, and must be a string.", $"{path}.role");
            }

            var role = roleElement.GetString()!;
            var rule = Table.Lookup(CompatibilityScope.Role, role);
            if (rule.Support == Support.Rejected)
            {
                throw UnsupportedRole(path, role, rule.Note);
            }

            if (rule.Support == Support.Ignored)
            {
                continue;
            }

            if (role != "assistant" && OptionalBool(message, "prefix", $"{path}.prefix") == true)
            {
                throw GatewayException.Invalid($"{path}.prefix: only an assistant message may have prefix:true.", $"{path}.prefix");
            }

            switch (role)
            {
                case "system" or "developer":
                    var text = ReadTextContent(message, path, allowNull: false);
                    if (leading)
                    {
                        if (text.Length > 0)
                        {
                            system.Add(text);
                        }
                    }
                    else if (text.Length > 0)
                    {
                        AddTurn(turns, "system", [new TextBlockParam(text)]);
                    }

                    break;
                case "user":
                    leading = false;
                    AddTurn(turns, "user", ReadUserContent(message, path));
                    break;
                case "assistant":
                    leading = false;
                    if (OptionalBool(message, "prefix", $"{path}.prefix") == true && !isLast)
                    {
                        throw GatewayException.Invalid($"{path}.prefix: prefix:true is only allowed on the last message.", $"{path}.prefix");
                    }

                    var blocks = ReadAssistant(message, path);
                    if (isLast)
                    {
                        TrimTrailingWhitespace(blocks);
                    }

                    AddTurn(turns, "assistant", blocks);
                    break;
                case "tool":
                    leading = false;
                    var id = RequiredString(message, "tool_call_id", $"{path}.tool_call_id");
                    var content = ReadTextContent(message, path, allowNull: true);
                    AddTurn(turns, "user", [new ToolResultBlockParam(id, content.Length == 0 ? null : content)]);
                    break;
                default:
                    throw UnsupportedRole(path, role, rule.Note);
            }
        }

        return (system, [.. turns.Select(t => new MessageParam(t.Role, t.Role == "user" ? ToolResultsFirst(t.Blocks) : t.Blocks))]);
    }

    private static GatewayException UnsupportedRole(string path, string role, string note)
    {
        var supported = Table.Rules.Where(r => r.Scope == CompatibilityScope.Role && !r.IsPattern && r.Support != Support.Rejected).Select(r => r.Name);
        return GatewayException.Invalid($"{path}.role: unknown role '{role}': {note} Expected {string.Join(", ", supported)}.", $"{path}.role");
    }

    private static void AddTurn(List<(string Role, List<ContentBlockParam> Blocks)> turns, string role, List<ContentBlockParam> blocks)
    {
        blocks.RemoveAll(b => b is TextBlockParam { Text.Length: 0 });
        if (blocks.Count == 0)
        {
            return;
        }

        if (turns.Count > 0 && turns[^1].Role == role)
        {
            turns[^1].Blocks.AddRange(blocks);
        }
        else
        {
            turns.Add((role, blocks));
        }
    }

    // Anthropic wants tool_result blocks first in a user turn.
    private static List<ContentBlockParam> ToolResultsFirst(List<ContentBlockParam> blocks) =>
        blocks.Exists(b => b is ToolResultBlockParam) && blocks.Exists(b => b is not ToolResultBlockParam)
            ? [.. blocks.Where(b => b is ToolResultBlockParam), .. blocks.Where(b => b is not ToolResultBlockParam)]
            : blocks;

    private static string ReadTextContent(JsonElement message, string path, bool allowNull)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            return allowNull ? string.Empty : throw GatewayException.Invalid($"{path}.content: required.", $"{path}.content");
        }

        return content.ValueKind switch
        {
            JsonValueKind.String => content.GetString()!,
            JsonValueKind.Array => JoinTextParts(content, path, allowRefusal: false),
            _ => throw GatewayException.Invalid($"{path}.content: must be a string or an array of text parts.", $"{path}.content"),
        };
    }

    private static string JoinTextParts(JsonElement parts, string path, bool allowRefusal)
    {
        var sb = new StringBuilder();
        var i = 0;
        foreach (var part in parts.EnumerateArray())
        {
            sb.Append(ReadTextPart(part, $"{path}.content[{i}]", i, allowRefusal));
            i++;
        }

        return sb.ToString();
    }

    /// <summary>A part where only text (and, in assistant messages, refusals) is allowed.</summary>
    private static string ReadTextPart(JsonElement part, string path, int index, bool allowRefusal)
    {
        var (type, rule) = PartType(part, path);
        if (rule.Support == Support.Rejected)
        {
            throw UnsupportedPart(path, type, index, rule.Note);
        }

        if (rule.Support == Support.Ignored)
        {
            return string.Empty;
        }

        if (type == "text" || (allowRefusal && type == "refusal"))
        {
            return ChatJson.GetString(part, type) ?? throw GatewayException.Invalid($"{path}.{type}: required, and must be a string.", $"{path}.{type}");
        }

        throw GatewayException.Invalid($"{path}: unsupported content part type '{type}' at index {index}; only text parts are allowed here.", path);
    }

    private static List<ContentBlockParam> ReadUserContent(JsonElement message, string path)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            throw GatewayException.Invalid($"{path}.content: required.", $"{path}.content");
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return [new TextBlockParam(content.GetString()!)];
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw GatewayException.Invalid($"{path}.content: must be a string or an array of content parts.", $"{path}.content");
        }

        var blocks = new List<ContentBlockParam>();
        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}.content[{i}]";
            var (type, rule) = PartType(part, partPath);
            switch (rule.Support)
            {
                case Support.Rejected:
                    throw UnsupportedPart(partPath, type, i, rule.Note);
                case Support.Ignored:
                    break;
                default:
                    blocks.Add(type switch
                    {
                        "text" => new TextBlockParam(ReadTextPart(part, partPath, i, allowRefusal: false)),
                        "image_url" => ReadImage(part, partPath),
                        _ => throw GatewayException.Invalid($"{partPath}: content part type '{type}' at index {i} is not allowed in a user message.", partPath),
                    });
                    break;
            }

            i++;
        }

        return blocks;
    }

    private static (string Type, CompatibilityRule Rule) PartType(JsonElement part, string path)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.Invalid($"{path}: expected a content part object.", path);
        }

        var type = ChatJson.GetString(part, "type") ?? "(none)";
        return (type, Table.Lookup(CompatibilityScope.Part, type));
    }

    private static GatewayException UnsupportedPart(string path, string type, int index, string note) =>
        GatewayException.Invalid($"{path}: unsupported content part type '{type}' at index {index}: {note}", path);

    private static ImageBlockParam ReadImage(JsonElement part, string path)
    {
        string? url = null;
        if (part.TryGetProperty("image_url", out var image))
        {
            url = image.ValueKind == JsonValueKind.String ? image.GetString() : ChatJson.GetString(image, "url");
        }

        if (string.IsNullOrEmpty(url))
        {
            throw GatewayException.Invalid($"{path}.image_url.url: required, and must be a string.", $"{path}.image_url.url");
        }

        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = url.IndexOf(',', StringComparison.Ordinal);
            var header = comma < 0 ? string.Empty : url[5..comma];
            const string base64 = ";base64";
            if (comma < 0 || !header.EndsWith(base64, StringComparison.OrdinalIgnoreCase))
            {
                throw GatewayException.Invalid($"{path}.image_url.url: a data URL must be base64-encoded (data:image/png;base64,...).", $"{path}.image_url.url");
            }

            var mediaType = header[..^base64.Length].ToLowerInvariant();
            if (mediaType is not ("image/jpeg" or "image/png" or "image/gif" or "image/webp"))
            {
                throw GatewayException.Invalid(
                    $"{path}.image_url.url: unsupported image media type '{mediaType}'; supported are image/jpeg, image/png, image/gif and image/webp.", $"{path}.image_url.url");
            }

            return new ImageBlockParam(new Base64ImageSource(mediaType, url[(comma + 1)..]));
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return new ImageBlockParam(new UrlImageSource(url));
        }

        throw GatewayException.Invalid($"{path}.image_url.url: must be an http(s) URL or a base64 data URL.", $"{path}.image_url.url");
    }

    private List<ContentBlockParam> ReadAssistant(JsonElement message, string path)
    {
        var text = string.Empty;
        if (message.TryGetProperty("content", out var content) && content.ValueKind != JsonValueKind.Null)
        {
            text = content.ValueKind switch
            {
                JsonValueKind.String => content.GetString()!,
                JsonValueKind.Array => JoinTextParts(content, path, allowRefusal: true),
                _ => throw GatewayException.Invalid($"{path}.content: must be a string, an array of text parts, or null.", $"{path}.content"),
            };
        }

        string? reasoning = null;
        if (ChatJson.TryGet(message, "reasoning_content", out var reasoningElement))
        {
            RequireKind(reasoningElement, JsonValueKind.String, $"{path}.reasoning_content", "a string");
            reasoning = reasoningElement.GetString();
        }

        var toolUses = new List<ToolUseBlockParam>();
        if (ChatJson.TryGet(message, "tool_calls", out var calls))
        {
            RequireKind(calls, JsonValueKind.Array, $"{path}.tool_calls", "an array");
            var i = 0;
            foreach (var call in calls.EnumerateArray())
            {
                toolUses.Add(ReadToolCall(call, $"{path}.tool_calls[{i}]", path));
                i++;
            }
        }

        var blocks = new List<ContentBlockParam>(toolUses.Count + 2);
        if (ReasoningRecorder.TryRecall(memory, reasoning, [.. toolUses.Select(t => t.Id)], out var replay))
        {
            blocks.AddRange(replay);
        }

        blocks.Add(new TextBlockParam(text));
        blocks.AddRange(toolUses);
        return blocks;
    }

    private static ToolUseBlockParam ReadToolCall(JsonElement call, string path, string messagePath)
    {
        if (call.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.Invalid($"{path}: expected a tool call object.", path);
        }

        var id = RequiredString(call, "id", $"{path}.id");
        if (ChatJson.GetString(call, "type") is { } type && type != "function")
        {
            throw GatewayException.Invalid($"{path}.type: unsupported tool call type '{type}'; only function calls are supported.", $"{path}.type");
        }

        if (!ChatJson.TryGet(call, "function", out var function) || function.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.Invalid($"{path}.function: required, and must be an object.", $"{path}.function");
        }

        var name = RequiredString(function, "name", $"{path}.function.name");
        return new ToolUseBlockParam(id, name, ReadArguments(function, $"{path}.function.arguments", messagePath));
    }

    private static JsonElement ReadArguments(JsonElement function, string path, string messagePath)
    {
        if (!ChatJson.TryGet(function, "arguments", out var arguments)
            || (arguments.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(arguments.GetString())))
        {
            return EmptyObject.Value;
        }

        if (arguments.ValueKind == JsonValueKind.Object)
        {
            return arguments;
        }

        if (arguments.ValueKind != JsonValueKind.String)
        {
            throw GatewayException.Invalid($"{messagePath}: {path} must be a JSON string.", path);
        }

        JsonElement input;
        try
        {
            using var document = JsonDocument.Parse(arguments.GetString()!);
            input = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw GatewayException.Invalid($"{messagePath}: {path} is not valid JSON; tool call arguments must be a JSON object.", path);
        }

        return input.ValueKind == JsonValueKind.Object
            ? input
            : throw GatewayException.Invalid($"{messagePath}: {path} must encode a JSON object, not {input.ValueKind.ToString().ToLowerInvariant()}.", path);
    }

    /// <summary>Anthropic rejects prefill that ends in white space: the last non-thinking block, if text, is trimmed.</summary>
    private static void TrimTrailingWhitespace(List<ContentBlockParam> blocks)
    {
        var last = blocks.FindLastIndex(b => b is not (ThinkingBlockParam or RedactedThinkingBlockParam));
        if (last >= 0 && blocks[last] is TextBlockParam text)
        {
            blocks[last] = new TextBlockParam(text.Text.TrimEnd());
        }
    }
}
