using System.Text.Json;
using Switchyard.Compatibility;
using Switchyard.Errors;

namespace Switchyard.Anthropic;

/// <summary>
/// Validates a Messages API request body against the Messages → Chat <see cref="CompatibilityTables.MessagesToChat"/> table and reduces it to a
/// <see cref="MessagesRequest"/>. Every problem is a 400 whose message names the field and where it was.
/// </summary>
/// <remarks>
/// The returned request holds <see cref="JsonElement"/>s (tool inputs and schemas) that point into
/// the parsed document: the caller keeps the document alive while it uses the request.
/// </remarks>
public static class MessagesRequestParser
{
    /// <summary>Parses a <c>POST /v1/messages</c> body, or a count_tokens body when <paramref name="countTokens"/>.</summary>
    public static MessagesRequest Parse(JsonDocument document, bool countTokens = false)
    {
        ArgumentNullException.ThrowIfNull(document);
        return Parse(document.RootElement, countTokens);
    }

    /// <summary>Parses a body's root element (which must stay alive while the request is used).</summary>
    public static MessagesRequest Parse(JsonElement root, bool countTokens = false)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.Invalid("The request body must be a JSON object.");
        }

        foreach (var property in root.EnumerateObject())
        {
            var rule = CompatibilityTables.MessagesToChat.Lookup(CompatibilityScope.Field, property.Name);
            if (rule.Support == Support.Rejected)
            {
                throw GatewayException.Invalid($"{property.Name}: not supported: {rule.Note}", property.Name);
            }
        }

        var model = RequiredString(root, "model", "model");
        int? maxTokens = null;
        if (!countTokens)
        {
            if (!root.TryGetProperty("max_tokens", out var maxTokensElement) || maxTokensElement.ValueKind == JsonValueKind.Null)
            {
                throw GatewayException.Invalid("max_tokens: Field required", "max_tokens");
            }

            maxTokens = Integer(maxTokensElement, "max_tokens");
            if (maxTokens < 0)
            {
                throw GatewayException.Invalid("max_tokens: must be greater than or equal to 0", "max_tokens");
            }
        }

        var stream = false;
        if (!countTokens && TryGet(root, "stream", out var streamElement))
        {
            stream = Boolean(streamElement, "stream");
        }

        var tools = ParseTools(root);
        return new MessagesRequest
        {
            Model = model,
            MaxTokens = maxTokens,
            Messages = ParseMessages(root),
            System = ParseSystem(root),
            StopSequences = ParseStopSequences(root),
            Temperature = OptionalNumber(root, "temperature", 0, 2),
            TopP = OptionalNumber(root, "top_p", 0, 1),
            UserId = ParseUserId(root),
            Tools = tools,
            ToolChoice = ParseToolChoice(root, tools),
            Thinking = ParseThinking(root),
            Effort = ParseEffort(root),
            Stream = stream,
        };
    }

    private static IReadOnlyList<InputMessage> ParseMessages(JsonElement root)
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

        if (role == MessageRole.System && blocks.Exists(b => b is not TextBlock))
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
                if (type != "text")
                {
                    throw Rejected(CompatibilityScope.Block, type, partPath);
                }

                parts.Add(RequiredString(part, "text", partPath + ".text"));
            }

            text = string.Join("\n\n", parts);
        }
        else
        {
            throw GatewayException.Invalid($"{path}.content: must be a string or an array of content blocks", "messages");
        }

        return new ToolResultBlock(id, text, isError);
    }

    private static IReadOnlyList<string> ParseSystem(JsonElement root)
    {
        if (!TryGet(root, "system", out var system))
        {
            return [];
        }

        if (system.ValueKind == JsonValueKind.String)
        {
            return [system.GetString()!];
        }

        if (system.ValueKind != JsonValueKind.Array)
        {
            throw GatewayException.Invalid("system: must be a string or an array of text blocks", "system");
        }

        var texts = new List<string>(system.GetArrayLength());
        var index = 0;
        foreach (var block in system.EnumerateArray())
        {
            var path = $"system[{index++}]";
            var type = BlockType(block, path);
            if (type != "text")
            {
                throw GatewayException.Invalid($"{path}: system blocks must be text blocks, not '{type}'", "system");
            }

            texts.Add(RequiredString(block, "text", path + ".text"));
        }

        return texts;
    }

    private static IReadOnlyList<string> ParseStopSequences(JsonElement root)
    {
        if (!TryGet(root, "stop_sequences", out var stops))
        {
            return [];
        }

        if (stops.ValueKind != JsonValueKind.Array)
        {
            throw GatewayException.Invalid("stop_sequences: must be an array of strings", "stop_sequences");
        }

        var result = new List<string>(stops.GetArrayLength());
        var index = 0;
        foreach (var stop in stops.EnumerateArray())
        {
            if (stop.ValueKind != JsonValueKind.String)
            {
                throw GatewayException.Invalid($"stop_sequences[{index}]: must be a string", "stop_sequences");
            }

            var value = stop.GetString()!;
            if (value.Length == 0)
            {
                throw GatewayException.Invalid($"stop_sequences[{index}]: must not be empty", "stop_sequences");
            }

            result.Add(value);
            index++;
        }

        return result;
    }

    private static string? ParseUserId(JsonElement root)
    {
        if (!TryGet(root, "metadata", out var metadata))
        {
            return null;
        }

        if (metadata.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.Invalid("metadata: must be an object", "metadata");
        }

        return OptionalString(metadata, "user_id", "metadata.user_id");
    }

    private static IReadOnlyList<ToolDefinition> ParseTools(JsonElement root)
    {
        if (!TryGet(root, "tools", out var tools))
        {
            return [];
        }

        if (tools.ValueKind != JsonValueKind.Array)
        {
            throw GatewayException.Invalid("tools: must be an array", "tools");
        }

        var result = new List<ToolDefinition>(tools.GetArrayLength());
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var path = $"tools[{index++}]";
            if (tool.ValueKind != JsonValueKind.Object)
            {
                throw GatewayException.Invalid($"{path}: must be an object", "tools");
            }

            var type = OptionalString(tool, "type", path + ".type") ?? "custom";
            var rule = CompatibilityTables.MessagesToChat.Lookup(CompatibilityScope.Tool, type);
            if (rule.Support == Support.Rejected)
            {
                throw GatewayException.Invalid($"{path}: tool type '{type}' is not supported: {rule.Note}", "tools");
            }

            var name = RequiredString(tool, "name", path + ".name");
            ToolDefinition definition;
            if (type == "custom")
            {
                if (!TryGet(tool, "input_schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
                {
                    throw GatewayException.Invalid($"{path}.input_schema: must be a JSON Schema object", "tools");
                }

                definition = new ToolDefinition(name, OptionalString(tool, "description", path + ".description"), schema);
            }
            else
            {
                definition = AnthropicDefinedTools.Describe(type, name, path);
            }

            if (!names.Add(name))
            {
                throw GatewayException.Invalid($"{path}.name: tool names must be unique; '{name}' appears twice", "tools");
            }

            result.Add(definition);
        }

        if (result.Count > 128)
        {
            throw GatewayException.Invalid($"tools: at most 128 tools are supported upstream, got {result.Count}", "tools");
        }

        return result;
    }

    private static ToolChoice? ParseToolChoice(JsonElement root, IReadOnlyList<ToolDefinition> tools)
    {
        if (!TryGet(root, "tool_choice", out var choice))
        {
            return null;
        }

        if (choice.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.Invalid("tool_choice: must be an object", "tool_choice");
        }

        var type = RequiredString(choice, "type", "tool_choice.type");
        var disableParallel = TryGet(choice, "disable_parallel_tool_use", out var parallel) &&
                              Boolean(parallel, "tool_choice.disable_parallel_tool_use");
        var kind = type switch
        {
            "auto" => ToolChoiceKind.Auto,
            "any" => ToolChoiceKind.Any,
            "tool" => ToolChoiceKind.Tool,
            "none" => ToolChoiceKind.None,
            _ => throw GatewayException.Invalid($"tool_choice.type: unexpected value '{type}'; expected auto, any, tool or none", "tool_choice"),
        };
        string? name = null;
        if (kind == ToolChoiceKind.Tool)
        {
            name = RequiredString(choice, "name", "tool_choice.name");
            if (!tools.Any(t => t.Name == name))
            {
                throw GatewayException.Invalid($"tool_choice.name: no tool named '{name}' in tools", "tool_choice");
            }
        }
        else if (kind == ToolChoiceKind.Any && tools.Count == 0)
        {
            throw GatewayException.Invalid("tool_choice: 'any' requires at least one tool", "tool_choice");
        }

        return new ToolChoice(kind, name, disableParallel);
    }

    private static ThinkingConfig? ParseThinking(JsonElement root)
    {
        if (!TryGet(root, "thinking", out var thinking))
        {
            return null;
        }

        if (thinking.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.Invalid("thinking: must be an object", "thinking");
        }

        var type = RequiredString(thinking, "type", "thinking.type");
        var mode = type switch
        {
            "enabled" => ThinkingMode.Enabled,
            "adaptive" => ThinkingMode.Adaptive,
            "disabled" => ThinkingMode.Disabled,
            _ => throw GatewayException.Invalid($"thinking.type: unexpected value '{type}'; expected enabled, adaptive or disabled", "thinking"),
        };
        int? budget = null;
        if (TryGet(thinking, "budget_tokens", out var budgetElement))
        {
            budget = Integer(budgetElement, "thinking.budget_tokens");
            if (budget < 0)
            {
                throw GatewayException.Invalid("thinking.budget_tokens: must be greater than or equal to 0", "thinking");
            }
        }
        else if (mode == ThinkingMode.Enabled)
        {
            throw GatewayException.Invalid("thinking.budget_tokens: Field required", "thinking");
        }

        var display = OptionalString(thinking, "display", "thinking.display");
        if (display is not null and not "summarized" and not "omitted")
        {
            throw GatewayException.Invalid($"thinking.display: unexpected value '{display}'; expected summarized or omitted", "thinking");
        }

        return new ThinkingConfig(mode, budget, display == "omitted");
    }

    private static string? ParseEffort(JsonElement root)
    {
        if (!TryGet(root, "output_config", out var config))
        {
            return null;
        }

        if (config.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.Invalid("output_config: must be an object", "output_config");
        }

        if (TryGet(config, "format", out _))
        {
            throw GatewayException.Invalid("output_config.format: structured output is not supported: DeepSeek has no JSON-schema mode", "output_config");
        }

        var effort = OptionalString(config, "effort", "output_config.effort");
        if (effort is not null and not "low" and not "medium" and not "high" and not "xhigh" and not "max")
        {
            throw GatewayException.Invalid($"output_config.effort: unexpected value '{effort}'; expected low, medium, high, xhigh or max", "output_config");
        }

        return effort;
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

    private static string BlockType(JsonElement block, string path)
    {
        if (block.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.Invalid($"{path}: must be a content block object", "messages");
        }

        return RequiredString(block, "type", path + ".type");
    }

    /// <summary>Gets a property that is present and not null.</summary>
    private static bool TryGet(JsonElement element, string name, out JsonElement value) =>
        element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static string RequiredString(JsonElement element, string name, string path)
    {
        if (!TryGet(element, name, out var value))
        {
            throw GatewayException.Invalid($"{path}: Field required", path);
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw GatewayException.Invalid($"{path}: must be a string", path);
    }

    private static string? OptionalString(JsonElement element, string name, string path)
    {
        if (!TryGet(element, name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw GatewayException.Invalid($"{path}: must be a string", path);
    }

    private static int Integer(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var result)
            ? result
            : throw GatewayException.Invalid($"{path}: must be an integer", path);

    private static bool Boolean(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw GatewayException.Invalid($"{path}: must be a boolean", path),
    };

    private static double? OptionalNumber(JsonElement root, string name, double min, double max)
    {
        if (!TryGet(root, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || double.IsNaN(number))
        {
            throw GatewayException.Invalid($"{name}: must be a number", name);
        }

        return number < min || number > max
            ? throw GatewayException.Invalid($"{name}: must be between {min} and {max}, got {number}", name)
            : number;
    }
}
