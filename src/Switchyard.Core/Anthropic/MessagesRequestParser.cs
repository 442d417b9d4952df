using System.Text.Json;
using Switchyard.Compatibility;
using Switchyard.Errors;
using Switchyard.Translation.StructuredOutput;
using static Switchyard.Anthropic.MessagesFieldReader;

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

        var model = Models.ModelCatalog.RequireName(RequiredString(root, "model", "model"));
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

        var tools = MessagesToolsParser.ParseTools(root);
        return new MessagesRequest
        {
            Model = model,
            MaxTokens = maxTokens,
            Messages = MessagesContentParser.ParseMessages(root),
            System = ParseSystem(root),
            StopSequences = ParseStopSequences(root),
            Temperature = OptionalNumber(root, "temperature", 0, 2),
            TopP = OptionalNumber(root, "top_p", 0, 1),
            UserId = ParseUserId(root),
            Tools = tools,
            ToolChoice = MessagesToolsParser.ParseToolChoice(root, tools),
            Thinking = ParseThinking(root),
            Effort = ParseEffort(root),
            OutputSchema = ParseOutputSchema(root),
            Stream = stream,
        };
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
            var type = MessagesContentParser.BlockType(block, path);
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

        // Anthropic requires budget_tokens with "enabled"; DeepSeek has no budget and ignores it, so its absence is
        // accepted rather than a 400 for a value that would be thrown away.

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

        var effort = OptionalString(config, "effort", "output_config.effort");
        if (effort is not null and not "low" and not "medium" and not "high" and not "xhigh" and not "max")
        {
            throw GatewayException.Invalid($"output_config.effort: unexpected value '{effort}'; expected low, medium, high, xhigh or max", "output_config");
        }

        return effort;
    }

    /// <summary>Structured output: <c>output_config.format</c>, or the beta's top-level <c>output_format</c> (same shape).</summary>
    private static OutputSchema? ParseOutputSchema(JsonElement root)
    {
        var (format, path) = TryGet(root, "output_config", out var config) && config.ValueKind == JsonValueKind.Object && TryGet(config, "format", out var f)
            ? (f, "output_config.format")
            : TryGet(root, "output_format", out var beta) ? (beta, "output_format") : (default, string.Empty);
        if (path.Length == 0)
        {
            return null;
        }

        if (format.ValueKind != JsonValueKind.Object || !TryGet(format, "type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            throw GatewayException.Invalid($"{path}: must be an object with a type", path);
        }

        return type.GetString() == "json_schema"
            ? OutputSchema.FromAnthropic(format, path)
            : throw GatewayException.Invalid($"{path}.type: unknown value '{type.GetString()}'; expected json_schema", path);
    }
}
