using System.Text.Json;
using Switchyard.Anthropic;
using Switchyard.Compatibility;
using Switchyard.Errors;
using Switchyard.Memory;
using static Switchyard.Translation.ChatToMessages.ChatFieldReader;

namespace Switchyard.Translation.ChatToMessages;

/// <summary>
/// Reads a Chat Completions request (in DeepSeek's flavour) for an Anthropic-format upstream: every top-level field,
/// message role, content part and tool type is looked up in <see cref="CompatibilityTables.ChatToMessages"/>, so the
/// table and the behaviour cannot drift apart (rejected → a 400 naming it with the table's note; ignored → dropped),
/// and the rest is validated into a <see cref="ChatToMessagesRequest"/>.
/// </summary>
public sealed class ChatToMessagesReader
{
    private const int MaxTools = 128;

    // {"type":"object","properties":{}}: the schema of a function without parameters.
    private static readonly JsonElement NoParameters = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();

    private readonly ChatToMessagesOptions _options;
    private readonly ChatConversationReader _conversation;

    /// <summary>Creates a reader.</summary>
    /// <param name="memory">Where signatures of thinking blocks served earlier are found, to replay them.</param>
    /// <param name="options">The efforts <c>reasoning_effort</c> may name.</param>
    public ChatToMessagesReader(IReasoningMemory memory, ChatToMessagesOptions options)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _conversation = new ChatConversationReader(memory);
    }

    /// <summary>Reads <paramref name="request"/>.</summary>
    /// <exception cref="GatewayException">400 <c>invalid_request_error</c> for a request that is malformed or cannot be served.</exception>
    public ChatToMessagesRequest Read(JsonElement request)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.Invalid("The request body must be a JSON object.");
        }

        var dropped = CheckFields(request);
        var model = Models.ModelCatalog.RequireName(RequiredString(request, "model"));
        if (!request.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            throw GatewayException.Invalid("messages: required, and must be an array of messages.", "messages");
        }

        if (messages.GetArrayLength() == 0)
        {
            throw GatewayException.Invalid("messages: must contain at least one message.", "messages");
        }

        if (OptionalInt(request, "n") is > 1)
        {
            throw GatewayException.Invalid("n: only n=1 is supported (the upstream returns one choice).", "n");
        }

        var stream = OptionalBool(request, "stream") ?? false;
        var includeUsage = false;
        if (ChatJson.TryGet(request, "stream_options", out var streamOptions))
        {
            RequireKind(streamOptions, JsonValueKind.Object, "stream_options", "an object");
            includeUsage = OptionalBool(streamOptions, "include_usage", "stream_options.include_usage") ?? false;
        }

        var maxTokens = OptionalInt(request, "max_completion_tokens") ?? OptionalInt(request, "max_tokens");
        if (maxTokens is < 1)
        {
            var name = ChatJson.TryGet(request, "max_completion_tokens", out _) ? "max_completion_tokens" : "max_tokens";
            throw GatewayException.Invalid($"{name}: must be at least 1.", name);
        }

        var temperature = OptionalNumber(request, "temperature", 0, 2);
        var topP = OptionalNumber(request, "top_p", 0, 1);
        var stops = ReadStop(request);
        var userId = OptionalString(request, "user_id") ?? OptionalString(request, "user");
        var (thinkingType, budget, effort) = ReadThinking(request);
        var (jsonObject, schema) = ReadResponseFormat(request);
        var tools = ReadTools(request);
        var (choice, choiceName) = ReadToolChoice(request, tools.Count);
        var parallel = OptionalBool(request, "parallel_tool_calls");
        var (system, turns) = _conversation.Read(messages);
        if (!turns.Exists(t => t.Role != "system"))
        {
            throw GatewayException.Invalid("messages: must contain at least one non-empty user or assistant message.", "messages");
        }

        return new ChatToMessagesRequest
        {
            Model = model,
            System = system,
            Messages = turns,
            Stream = stream,
            IncludeUsage = stream && includeUsage,
            MaxTokens = maxTokens,
            Temperature = temperature,
            TopP = topP,
            StopSequences = stops,
            UserId = userId,
            ThinkingType = thinkingType,
            BudgetTokens = budget,
            ReasoningEffort = effort,
            JsonObject = jsonObject,
            JsonSchema = schema,
            Tools = tools,
            ToolChoice = choice,
            ToolChoiceName = choiceName,
            ParallelToolCalls = parallel,
            Dropped = dropped,
        };
    }

    /// <summary>Rejects the fields the table rejects; returns the ignored ones that are present.</summary>
    private static List<string> CheckFields(JsonElement request)
    {
        var dropped = new List<string>();
        foreach (var property in request.EnumerateObject())
        {
            var rule = CompatibilityTables.ChatToMessages.Lookup(CompatibilityScope.Field, property.Name);
            if (rule.Support == Support.Rejected)
            {
                throw GatewayException.Invalid($"{property.Name}: not supported: {rule.Note}", property.Name);
            }

            if (rule.Support == Support.Ignored)
            {
                dropped.Add(property.Name);
            }
        }

        return dropped;
    }

    private static List<string> ReadStop(JsonElement request)
    {
        var stops = new List<string>();
        if (!ChatJson.TryGet(request, "stop", out var stop))
        {
            return stops;
        }

        if (stop.ValueKind == JsonValueKind.String)
        {
            stops.Add(stop.GetString()!);
        }
        else if (stop.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in stop.EnumerateArray())
            {
                RequireKind(item, JsonValueKind.String, $"stop[{i}]", "a string");
                stops.Add(item.GetString()!);
                i++;
            }
        }
        else
        {
            throw GatewayException.Invalid("stop: must be a string or an array of strings.", "stop");
        }

        stops.RemoveAll(s => s.Length == 0);
        return stops;
    }

    private (bool? Type, int? Budget, string? Effort) ReadThinking(JsonElement request)
    {
        string? effort = null;
        if (ChatJson.TryGet(request, "reasoning_effort", out var effortElement))
        {
            RequireKind(effortElement, JsonValueKind.String, "reasoning_effort", "a string");
            effort = effortElement.GetString()!.ToLowerInvariant();
            if (effort != "none" && !_options.EffortBudgets.ContainsKey(effort))
            {
                throw GatewayException.Invalid(
                    $"reasoning_effort: unknown value '{effort}'; expected none, {string.Join(", ", _options.EffortBudgets.Keys)}.", "reasoning_effort");
            }
        }

        if (!ChatJson.TryGet(request, "thinking", out var thinking))
        {
            return (null, null, effort);
        }

        RequireKind(thinking, JsonValueKind.Object, "thinking", "an object");
        bool type = ChatJson.GetString(thinking, "type") switch
        {
            "enabled" or "adaptive" => true,
            "disabled" => false,
            var other => throw GatewayException.Invalid(
                $"thinking.type: unknown value '{other ?? "(none)"}'; expected enabled or disabled.", "thinking.type"),
        };
        return (type, OptionalInt(thinking, "budget_tokens", "thinking.budget_tokens"), effort);
    }

    private static (bool JsonObject, JsonElement? Schema) ReadResponseFormat(JsonElement request)
    {
        if (!ChatJson.TryGet(request, "response_format", out var format))
        {
            return (false, null);
        }

        RequireKind(format, JsonValueKind.Object, "response_format", "an object");
        switch (ChatJson.GetString(format, "type"))
        {
            case "text":
                return (false, null);
            case "json_object":
                return (true, null);
            case "json_schema":
                if (!ChatJson.TryGet(format, "json_schema", out var jsonSchema) || jsonSchema.ValueKind != JsonValueKind.Object
                    || !ChatJson.TryGet(jsonSchema, "schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
                {
                    throw GatewayException.Invalid("response_format.json_schema.schema: required, and must be a JSON Schema object.", "response_format.json_schema.schema");
                }

                return (false, schema);
            case var other:
                throw GatewayException.Invalid(
                    $"response_format.type: unknown value '{other ?? "(none)"}'; expected text, json_object or json_schema.", "response_format.type");
        }
    }

    private static List<ToolParam> ReadTools(JsonElement request)
    {
        var tools = new List<ToolParam>();
        if (!ChatJson.TryGet(request, "tools", out var array))
        {
            return tools;
        }

        RequireKind(array, JsonValueKind.Array, "tools", "an array");
        if (array.GetArrayLength() > MaxTools)
        {
            throw GatewayException.Invalid($"tools: at most {MaxTools} tools are allowed, got {array.GetArrayLength()}.", "tools");
        }

        var i = 0;
        foreach (var tool in array.EnumerateArray())
        {
            var path = $"tools[{i++}]";
            RequireKind(tool, JsonValueKind.Object, path, "an object");
            var type = ChatJson.GetString(tool, "type") ?? "function";
            var rule = CompatibilityTables.ChatToMessages.Lookup(CompatibilityScope.Tool, type);
            if (rule.Support == Support.Ignored)
            {
                continue;
            }

            if (rule.Support == Support.Rejected || type != "function")
            {
                throw GatewayException.Invalid($"{path}.type: unsupported tool type '{type}': {rule.Note}", $"{path}.type");
            }

            tools.Add(ReadFunction(tool, path));
        }

        return tools;
    }

    private static ToolParam ReadFunction(JsonElement tool, string path)
    {
        if (!ChatJson.TryGet(tool, "function", out var function) || function.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.Invalid($"{path}.function: required, and must be an object.", $"{path}.function");
        }

        var name = RequiredString(function, "name", $"{path}.function.name");
        if (ChatJson.TryGet(function, "description", out var description))
        {
            RequireKind(description, JsonValueKind.String, $"{path}.function.description", "a string");
        }

        var schema = NoParameters;
        if (ChatJson.TryGet(function, "parameters", out var parameters))
        {
            RequireKind(parameters, JsonValueKind.Object, $"{path}.function.parameters", "a JSON Schema object");
            schema = parameters.TryGetProperty("type", out _) ? parameters : WithObjectType(parameters);
        }

        return new ToolParam(
            name,
            ChatJson.GetString(function, "description") is { Length: > 0 } text ? text : null,
            schema,
            function.TryGetProperty("strict", out var strict) && strict.ValueKind == JsonValueKind.True ? true : null);
    }

    /// <summary>Anthropic requires <c>input_schema.type</c> "object"; some clients leave it out.</summary>
    private static JsonElement WithObjectType(JsonElement parameters)
    {
        var bytes = ChatJson.Write(parameters, static (w, schema) =>
        {
            w.WriteStartObject();
            w.WriteString("type", "object");
            foreach (var property in schema.EnumerateObject())
            {
                property.WriteTo(w);
            }

            w.WriteEndObject();
        });
        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.Clone();
    }

    private static (string? Choice, string? Name) ReadToolChoice(JsonElement request, int toolCount)
    {
        if (!ChatJson.TryGet(request, "tool_choice", out var choice))
        {
            return (null, null);
        }

        string mapped;
        string? name = null;
        if (choice.ValueKind == JsonValueKind.String)
        {
            mapped = choice.GetString() switch
            {
                "none" => "none",
                "auto" => "auto",
                "required" => "any",
                var other => throw GatewayException.Invalid(
                    $"tool_choice: unknown value '{other}'; expected none, auto, required or {{\"type\":\"function\",\"function\":{{\"name\":...}}}}.", "tool_choice"),
            };
        }
        else if (choice.ValueKind == JsonValueKind.Object && ChatJson.GetString(choice, "type") == "function")
        {
            name = ChatJson.TryGet(choice, "function", out var function) ? ChatJson.GetString(function, "name") : null;
            if (string.IsNullOrEmpty(name))
            {
                throw GatewayException.Invalid("tool_choice.function.name: required, and must be a string.", "tool_choice.function.name");
            }

            mapped = "tool";
        }
        else
        {
            throw GatewayException.Invalid(
                "tool_choice: must be none, auto, required or {\"type\":\"function\",\"function\":{\"name\":...}}.", "tool_choice");
        }

        if (toolCount == 0)
        {
            return mapped is "any" or "tool"
                ? throw GatewayException.Invalid("tool_choice: a required or named tool choice needs tools.", "tool_choice")
                : (null, null);
        }

        return (mapped, name);
    }
}
