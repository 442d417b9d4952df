using System.Text.Json;
using Switchyard.Compatibility;
using Switchyard.Errors;
using static Switchyard.Anthropic.MessagesFieldReader;

namespace Switchyard.Anthropic;

/// <summary>Reads <c>messages</c> and their content blocks for <see cref="MessagesRequestParser"/>, against <see cref="CompatibilityTables.MessagesToChat"/>.</summary>
internal static class MessagesContentParser
{
    /// <summary>Reads <c>messages</c>: roles, and content blocks against the table.</summary>
    public static IReadOnlyList<InputMessage> ParseMessages(JsonElement root)
    {
        if (!TryGet(root, "messages", out var messages))
        {
            throw GatewayException.Invalid("messages: Field required", "messages");
        }

        if (messages.ValueKind != JsonValueKind.Array)
        {
            throw GatewayException.Invalid("messages: must be an array", "messages");
        }

        var result = new List<InputMessage>(messages.GetArrayLength());
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var path = $"messages[{index}]";
            if (message.ValueKind != JsonValueKind.Object)
            {
                throw GatewayException.Invalid($"{path}: must be an object", "messages");
            }

            var roleName = RequiredString(message, "role", path + ".role");
            var role = roleName switch
            {
                "user" => MessageRole.User,
                "assistant" => MessageRole.Assistant,
                "system" => MessageRole.System,
                _ => throw GatewayException.Invalid($"{path}.role: unexpected role '{roleName}'; expected 'user', 'assistant' or 'system'", "messages"),
            };
            if (!TryGet(message, "content", out var content))
            {
                throw GatewayException.Invalid($"{path}.content: Field required", "messages");
            }

            result.Add(new InputMessage(role, ParseContent(content, role, path + ".content")));
            index++;
        }

        if (result.Count == 0)
        {
            throw GatewayException.Invalid("messages: at least one message is required", "messages");
        }

        return result;
    }

    private static IReadOnlyList<ContentBlock> ParseContent(JsonElement content, MessageRole role, string path)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return [new TextBlock(content.GetString()!)];
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw GatewayException.Invalid($"{path}: must be a string or an array of content blocks", "messages");
        }

        var blocks = new List<ContentBlock>(content.GetArrayLength());
        var index = 0;
        foreach (var block in content.EnumerateArray())
        {
            var blockPath = $"{path}[{index++}]";
            var type = BlockType(block, blockPath);
            switch (type)
            {
                case "text":
                    blocks.Add(new TextBlock(RequiredString(block, "text", blockPath + ".text")));
                    break;
                case "thinking":
                    RequireRole(role, MessageRole.Assistant, type, blockPath);
                    blocks.Add(new ThinkingBlock(
                        RequiredString(block, "thinking", blockPath + ".thinking"),
                        OptionalString(block, "signature", blockPath + ".signature") ?? string.Empty));
                    break;
                case "tool_use":
                    RequireRole(role, MessageRole.Assistant, type, blockPath);
                    blocks.Add(ParseToolUse(block, blockPath));
                    break;
                case "tool_result":
                    RequireRole(role, MessageRole.User, type, blockPath);
                    blocks.Add(ParseToolResult(block, blockPath));
                    break;
                case "tool_addition":
                    RequireRole(role, MessageRole.System, type, blockPath);
                    blocks.Add(new ToolAdditionBlock(ReferencedTool(block, "tool", blockPath)));
                    break;
                case "mid_conv_system":
                    RequireRole(role, MessageRole.System, type, blockPath);
                    if (!TryGet(block, "content", out var inner))
                    {
                        throw GatewayException.Invalid($"{blockPath}.content: Field required", "messages");
                    }

                    blocks.AddRange(ParseContent(inner, MessageRole.System, blockPath + ".content"));
                    break;
                default:
                    throw Rejected(CompatibilityScope.Block, type, blockPath);
            }
        }

        if (role == MessageRole.System && blocks.Exists(b => b is not (TextBlock or ToolAdditionBlock)))
        {
            throw GatewayException.Invalid($"{path}: a system message may only contain text", "messages");
        }

        return blocks;
    }

    private static ToolUseBlock ParseToolUse(JsonElement block, string path)
    {
        var id = RequiredString(block, "id", path + ".id");
        var name = RequiredString(block, "name", path + ".name");
        if (!TryGet(block, "input", out var input) || input.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.Invalid($"{path}.input: must be an object", "messages");
        }

        return new ToolUseBlock(id, name, input);
    }

    private static ToolResultBlock ParseToolResult(JsonElement block, string path)
    {
        var id = RequiredString(block, "tool_use_id", path + ".tool_use_id");
        var isError = TryGet(block, "is_error", out var isErrorElement) && Boolean(isErrorElement, path + ".is_error");
        string text;
        List<string>? loaded = null;
        if (!TryGet(block, "content", out var content))
        {
            text = string.Empty;
        }
        else if (content.ValueKind == JsonValueKind.String)
        {
            text = content.GetString()!;
        }
        else if (content.ValueKind == JsonValueKind.Array)
        {
            var parts = new List<string>();
            var index = 0;
            foreach (var part in content.EnumerateArray())
            {
                var partPath = $"{path}.content[{index++}]";
                var type = BlockType(part, partPath);
                parts.Add(type switch
                {
                    "text" => RequiredString(part, "text", partPath + ".text"),
                    // Claude Code's ToolSearch result: the tool (declared with defer_loading) is loaded; the model reads that.
                    "tool_reference" => "Tool loaded: " + Loaded(ref loaded, RequiredString(part, "tool_name", partPath + ".tool_name")),
                    _ => throw Rejected(CompatibilityScope.Block, type, partPath),
                });
            }

            text = string.Join("\n\n", parts);
        }
        else
        {
            throw GatewayException.Invalid($"{path}.content: must be a string or an array of content blocks", "messages");
        }

        return new ToolResultBlock(id, text, isError) { LoadedTools = (IReadOnlyList<string>?)loaded ?? [] };
    }

    private static string Loaded(ref List<string>? loaded, string name)
    {
        (loaded ??= []).Add(name);
        return name;
    }

    /// <summary>The tool a <c>tool_addition</c> names: <c>{"tool":{"type":"tool_reference","name":…}}</c>.</summary>
    private static string ReferencedTool(JsonElement block, string property, string path)
    {
        if (!TryGet(block, property, out var tool) || tool.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.Invalid($"{path}.{property}: must be a tool_reference object", "messages");
        }

        return OptionalString(tool, "name", $"{path}.{property}.name") ?? RequiredString(tool, "tool_name", $"{path}.{property}.name");
    }

    private static GatewayException Rejected(CompatibilityScope scope, string type, string path)
    {
        var rule = CompatibilityTables.MessagesToChat.Lookup(scope, type);
        return GatewayException.Invalid($"{path}: content block type '{type}' is not supported: {rule.Note}", "messages");
    }

    private static void RequireRole(MessageRole actual, MessageRole expected, string type, string path)
    {
        if (actual != expected)
        {
            throw GatewayException.Invalid(
                $"{path}: '{type}' blocks are only allowed in {expected.ToString().ToLowerInvariant()} messages", "messages");
        }
    }

    /// <summary>The <c>type</c> of a content block, which must be an object.</summary>
    public static string BlockType(JsonElement block, string path)
    {
        if (block.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.Invalid($"{path}: must be a content block object", "messages");
        }

        return RequiredString(block, "type", path + ".type");
    }
}
