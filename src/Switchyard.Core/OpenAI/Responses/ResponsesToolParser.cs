using System.Text.Json;
using Switchyard.Compatibility;
using static Switchyard.OpenAI.Responses.ResponsesRequestParser;

namespace Switchyard.OpenAI.Responses;

/// <summary>
/// Reads <c>tools</c> and <c>tool_choice</c> of a Responses request: function, custom and namespace tools become
/// <see cref="ResponsesTool"/>s; built-in tools are rejected together, each named with the table's reason.
/// </summary>
internal static class ResponsesToolParser
{
    private const int MaxTools = 128;

    /// <summary>Whether <paramref name="name"/> is a valid function name upstream (<c>^[a-zA-Z0-9_-]{1,64}$</c>).</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    public static List<ResponsesTool> ParseTools(JsonElement tools, CompatibilityTable table)
    {
        if (tools.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("tools must be an array", "tools");
        }

        var result = new List<ResponsesTool>();
        var rejected = new List<string>();
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var path = $"tools[{index++}]";
            if (tool.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"{path} must be an object", path);
            }

            var type = RequireField(tool, "type", path);
            var rule = table.Lookup(CompatibilityScope.Tool, type);
            if (rule.Support == Support.Rejected)
            {
                rejected.Add($"{path} '{type}' ({rule.Note})");
                continue;
            }

            if (type == "namespace")
            {
                AddNamespace(tool, path, result);
            }
            else
            {
                result.Add(ParseTool(tool, type, path, null));
            }
        }

        if (rejected.Count > 0)
        {
            throw Invalid($"tools: built-in tool types cannot be served by this upstream: {string.Join("; ", rejected)}", "tools");
        }

        if (result.Count > MaxTools)
        {
            throw Invalid($"tools: at most {MaxTools} tools are supported, got {result.Count}", "tools");
        }

        var duplicate = result.GroupBy(t => t.UpstreamName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? result : throw Invalid($"tools: the name '{duplicate.Key}' is declared twice", "tools");
    }

    private static void AddNamespace(JsonElement tool, string path, List<ResponsesTool> result)
    {
        var name = RequireValidName(tool, path);
        if (!tool.TryGetProperty("tools", out var inner) || inner.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"{path}.tools is required and must be an array", path + ".tools");
        }

        var index = 0;
        foreach (var member in inner.EnumerateArray())
        {
            var memberPath = $"{path}.tools[{index++}]";
            var type = member.ValueKind == JsonValueKind.Object ? RequireField(member, "type", memberPath) : string.Empty;
            if (type is not ("function" or "custom"))
            {
                throw Invalid($"{memberPath} must be a function or custom tool", memberPath);
            }

            var parsed = ParseTool(member, type, memberPath, name);
            result.Add(IsValidName(parsed.UpstreamName)
                ? parsed
                : throw Invalid($"{memberPath}: '{parsed.UpstreamName}' (namespace and name) is longer than the 64 characters a function name may have upstream", memberPath + ".name"));
        }
    }

    private static ResponsesTool ParseTool(JsonElement tool, string type, string path, string? @namespace)
    {
        var name = RequireValidName(tool, path);
        var description = OptionalString(tool, "description", path);
        if (type == "function")
        {
            JsonElement? parameters = null;
            if (tool.TryGetProperty("parameters", out var schema) && schema.ValueKind != JsonValueKind.Null)
            {
                parameters = schema.ValueKind == JsonValueKind.Object
                    ? schema.Clone()
                    : throw Invalid($"{path}.parameters must be a JSON Schema object", path + ".parameters");
            }

            return new ResponsesTool(ResponsesToolKind.Function, name, @namespace, description, parameters, null);
        }

        JsonElement? format = null;
        if (tool.TryGetProperty("format", out var formatValue) && formatValue.ValueKind != JsonValueKind.Null)
        {
            format = formatValue.ValueKind == JsonValueKind.Object
                ? formatValue.Clone()
                : throw Invalid($"{path}.format must be an object", path + ".format");
        }

        return new ResponsesTool(ResponsesToolKind.Custom, name, @namespace, description, null, format);
    }

    private static string RequireValidName(JsonElement tool, string path)
    {
        var name = RequireField(tool, "name", path);
        return IsValidName(name) ? name : throw Invalid($"{path}.name '{name}' must match ^[a-zA-Z0-9_-]{{1,64}}$", path + ".name");
    }

    public static ResponsesToolChoice ParseToolChoice(JsonElement choice, IReadOnlyList<ResponsesTool> tools)
    {
        if (choice.ValueKind == JsonValueKind.String)
        {
            return choice.GetString() switch
            {
                "none" or "auto" or "required" => new ResponsesToolChoice(choice.GetString()!),
                var other => throw Invalid($"tool_choice must be none, auto or required (got '{other}')", "tool_choice"),
            };
        }

        if (choice.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("tool_choice must be a string or an object", "tool_choice");
        }

        var type = RequireField(choice, "type", "tool_choice");
        switch (type)
        {
            case "function" or "custom":
                return new ResponsesToolChoice("required", Find(choice, type, tools, "tool_choice"));
            case "allowed_tools":
                var mode = OptionalString(choice, "mode", "tool_choice") ?? "auto";
                if (mode is not ("auto" or "required"))
                {
                    throw Invalid($"tool_choice.mode must be auto or required (got '{mode}')", "tool_choice.mode");
                }

                if (!choice.TryGetProperty("tools", out var allowed) || allowed.ValueKind != JsonValueKind.Array)
                {
                    throw Invalid("tool_choice.tools is required and must be an array", "tool_choice.tools");
                }

                var names = new HashSet<string>(StringComparer.Ordinal);
                var index = 0;
                foreach (var entry in allowed.EnumerateArray())
                {
                    var path = $"tool_choice.tools[{index++}]";
                    var entryType = entry.ValueKind == JsonValueKind.Object ? RequireField(entry, "type", path) : string.Empty;
                    if (entryType is not ("function" or "custom"))
                    {
                        throw Invalid($"{path} must name a function or custom tool", path);
                    }

                    names.Add(Find(entry, entryType, tools, path));
                }

                return new ResponsesToolChoice(mode, null, names);
            default:
                throw Invalid($"tool_choice type '{type}' is not supported: built-in tools cannot be served by this upstream", "tool_choice");
        }
    }

    /// <summary>The upstream name of the declared tool a choice names.</summary>
    private static string Find(JsonElement choice, string type, IReadOnlyList<ResponsesTool> tools, string path)
    {
        var name = RequireField(choice, "name", path);
        var @namespace = OptionalString(choice, "namespace", path);
        var kind = type == "custom" ? ResponsesToolKind.Custom : ResponsesToolKind.Function;
        var tool = tools.FirstOrDefault(t => t.Kind == kind && t.Name == name && (@namespace is null || t.Namespace == @namespace));
        return tool?.UpstreamName ?? throw Invalid($"{path} names the {type} tool '{name}', which is not in tools", path + ".name");
    }
}
