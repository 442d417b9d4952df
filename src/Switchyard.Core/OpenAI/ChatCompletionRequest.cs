using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchyard.OpenAI;

/// <summary>A Chat Completions request in DeepSeek's flavour, as Switchyard sends it upstream.</summary>
public sealed record ChatCompletionRequest
{
    /// <summary>The upstream model id.</summary>
    [JsonPropertyName("model")] public required string Model { get; init; }

    /// <summary>The conversation.</summary>
    [JsonPropertyName("messages")] public required IReadOnlyList<ChatMessage> Messages { get; init; }

    /// <summary>DeepSeek's thinking switch.</summary>
    [JsonPropertyName("thinking")] public ChatThinking? Thinking { get; init; }

    /// <summary><c>reasoning_effort</c>: high or max (values every DeepSeek era accepts).</summary>
    [JsonPropertyName("reasoning_effort")] public string? ReasoningEffort { get; init; }

    /// <summary>Output budget, reasoning included.</summary>
    [JsonPropertyName("max_tokens")] public int? MaxTokens { get; init; }

    /// <summary>Sampling temperature, 0–2.</summary>
    [JsonPropertyName("temperature")] public double? Temperature { get; init; }

    /// <summary>Nucleus sampling.</summary>
    [JsonPropertyName("top_p")] public double? TopP { get; init; }

    /// <summary>Upstream stop strings.</summary>
    [JsonPropertyName("stop")] public IReadOnlyList<string>? Stop { get; init; }

    /// <summary>Whether to stream.</summary>
    [JsonPropertyName("stream")] public bool? Stream { get; init; }

    /// <summary>Streaming options.</summary>
    [JsonPropertyName("stream_options")] public ChatStreamOptions? StreamOptions { get; init; }

    /// <summary>Function tools.</summary>
    [JsonPropertyName("tools")] public IReadOnlyList<ChatTool>? Tools { get; init; }

    /// <summary>Tool choice: a string (none/auto/required) or a named function.</summary>
    [JsonPropertyName("tool_choice")] public ChatToolChoice? ToolChoice { get; init; }

    /// <summary>
    /// <c>parallel_tool_calls</c>: only <c>false</c> is ever sent, and only to the Chat → Messages translation
    /// (DeepSeek documents no such switch).
    /// </summary>
    [JsonPropertyName("parallel_tool_calls")] public bool? ParallelToolCalls { get; init; }

    /// <summary>DeepSeek's end-user id (<c>[A-Za-z0-9_-]</c>, ≤512).</summary>
    [JsonPropertyName("user_id")] public string? UserId { get; init; }

    /// <summary><c>{"type":"json_object"}</c> for JSON mode, a <c>json_schema</c> format for upstreams that have one; null for text.</summary>
    [JsonPropertyName("response_format")] public ChatResponseFormat? ResponseFormat { get; init; }
}

/// <summary>
/// <c>response_format</c>: <c>json_object</c> (DeepSeek's JSON mode), or <c>json_schema</c> with its schema (OpenAI's
/// structured outputs; DeepSeek has no such mode, the Chat → Messages translation maps it to Anthropic's).
/// </summary>
/// <param name="Type">json_object or json_schema.</param>
/// <param name="JsonSchema">For json_schema: the schema, its name and strictness.</param>
public sealed record ChatResponseFormat(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("json_schema")] JsonSchemaFormat? JsonSchema = null)
{
    /// <summary>JSON mode.</summary>
    public static ChatResponseFormat JsonObject { get; } = new("json_object");
}

/// <summary>One message of a Chat Completions conversation.</summary>
public sealed record ChatMessage
{
    /// <summary>system, user, assistant or tool.</summary>
    [JsonPropertyName("role")] public required string Role { get; init; }

    /// <summary>Text content; null for tool-call-only assistant turns.</summary>
    [JsonPropertyName("content")] public string? Content { get; init; }

    /// <summary>Assistant reasoning replayed to the upstream.</summary>
    [JsonPropertyName("reasoning_content")] public string? ReasoningContent { get; init; }

    /// <summary>Assistant tool calls.</summary>
    [JsonPropertyName("tool_calls")] public IReadOnlyList<ChatToolCall>? ToolCalls { get; init; }

    /// <summary>For tool messages: the call answered.</summary>
    [JsonPropertyName("tool_call_id")] public string? ToolCallId { get; init; }

    /// <summary>DeepSeek's chat prefix completion flag on the last assistant message.</summary>
    [JsonPropertyName("prefix")] public bool? Prefix { get; init; }
}

/// <summary>A tool call made by the assistant.</summary>
public sealed record ChatToolCall
{
    /// <summary>The call id.</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }

    /// <summary>Always "function".</summary>
    [JsonPropertyName("type")] public string Type { get; init; } = "function";

    /// <summary>The function and its JSON arguments.</summary>
    [JsonPropertyName("function")] public required ChatFunctionCall Function { get; init; }
}

/// <summary>A function call: name and JSON-encoded arguments.</summary>
public sealed record ChatFunctionCall
{
    /// <summary>The function name.</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>The arguments as a JSON string.</summary>
    [JsonPropertyName("arguments")] public string? Arguments { get; init; }
}

/// <summary>A function tool definition.</summary>
public sealed record ChatTool
{
    /// <summary>Always "function".</summary>
    [JsonPropertyName("type")] public string Type { get; init; } = "function";

    /// <summary>The function.</summary>
    [JsonPropertyName("function")] public required ChatFunctionDefinition Function { get; init; }
}

/// <summary>A function's name, description and parameter schema.</summary>
public sealed record ChatFunctionDefinition
{
    /// <summary>The name.</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }

    /// <summary>The description.</summary>
    [JsonPropertyName("description")] public string? Description { get; init; }

    /// <summary>JSON Schema of the arguments.</summary>
    [JsonPropertyName("parameters")] public JsonElement? Parameters { get; init; }

    /// <summary>DeepSeek's strict function calling (beta, on <c>/beta</c>): the arguments follow the schema.</summary>
    [JsonPropertyName("strict")] public bool? Strict { get; init; }
}

/// <summary>DeepSeek's <c>thinking</c> object.</summary>
/// <param name="Type">enabled or disabled.</param>
public sealed record ChatThinking([property: JsonPropertyName("type")] string Type)
{
    /// <summary>Thinking on.</summary>
    public static ChatThinking Enabled { get; } = new("enabled");

    /// <summary>Thinking off.</summary>
    public static ChatThinking Disabled { get; } = new("disabled");
}

/// <summary>Streaming options.</summary>
/// <param name="IncludeUsage">Ask for usage in the stream.</param>
public sealed record ChatStreamOptions([property: JsonPropertyName("include_usage")] bool IncludeUsage);

/// <summary><c>tool_choice</c>: either a mode string or a named function.</summary>
[JsonConverter(typeof(ChatToolChoiceConverter))]
public sealed record ChatToolChoice
{
    /// <summary>none, auto or required; null when <see cref="FunctionName"/> is set.</summary>
    public string? Mode { get; init; }

    /// <summary>The forced function's name.</summary>
    public string? FunctionName { get; init; }
}

/// <summary>Writes <see cref="ChatToolChoice"/> as a string or <c>{"type":"function","function":{"name"}}</c>.</summary>
public sealed class ChatToolChoiceConverter : JsonConverter<ChatToolChoice>
{
    /// <inheritdoc />
    public override ChatToolChoice? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new ChatToolChoice { Mode = reader.GetString() };
        }

        using var document = JsonDocument.ParseValue(ref reader);
        var name = document.RootElement.TryGetProperty("function", out var function) &&
                   function.TryGetProperty("name", out var nameElement) ? nameElement.GetString() : null;
        return new ChatToolChoice { FunctionName = name };
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, ChatToolChoice value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (value.FunctionName is null)
        {
            writer.WriteStringValue(value.Mode);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("type", "function");
        writer.WriteStartObject("function");
        writer.WriteString("name", value.FunctionName);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}

