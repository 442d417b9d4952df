using System.Text.Json;
using Switchyard.Compatibility;
using Switchyard.Errors;
using static Switchyard.Anthropic.MessagesFieldReader;

namespace Switchyard.Anthropic;

/// <summary>Reads <c>tools</c> and <c>tool_choice</c> for <see cref="MessagesRequestParser"/>, against <see cref="CompatibilityTables.MessagesToChat"/>.</summary>
internal static class MessagesToolsParser
{
    /// <summary>Reads <c>tools</c>: types against the table, unique names, at most 128.</summary>
    public static IReadOnlyList<ToolDefinition> ParseTools(JsonElement root)
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

            if (TryGet(tool, "defer_loading", out var deferLoading))
            {
                definition = definition with { Deferred = Boolean(deferLoading, path + ".defer_loading") };
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

    /// <summary>Reads <c>tool_choice</c>, which must name a tool of <paramref name="tools"/>.</summary>
    public static ToolChoice? ParseToolChoice(JsonElement root, IReadOnlyList<ToolDefinition> tools)
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
}
