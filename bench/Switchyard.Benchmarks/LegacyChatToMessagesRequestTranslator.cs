// The hand-written Utf8JsonWriter translator as it was at f117394, kept here only to measure it against the typed
// writer in the same process (ChatToMessagesWriterComparison). Not part of Switchyard.
#pragma warning disable
using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchyard.Errors;
using Switchyard.Memory;
using Switchyard.Translation;
using Switchyard.Translation.ChatToMessages;

namespace Switchyard.Benchmarks.Legacy;

/// <summary>
/// Translates an OpenAI Chat Completions request (in DeepSeek's flavour) into an Anthropic Messages request.
/// Pure: no I/O besides the <see cref="IReasoningMemory"/> lookups that restore signed thinking blocks.
/// </summary>
/// <remarks>
/// <para>Field mapping (client → Anthropic):</para>
/// <list type="table">
/// <listheader><term>Chat Completions</term><description>Messages API</description></listheader>
/// <item><term><c>model</c></term><description>Validated (non-empty string) and reported back in <see cref="TranslatedChatRequest.ClientModel"/>; the body names the upstream model given by the caller.</description></item>
/// <item><term>leading <c>system</c>/<c>developer</c> messages</term><description>Top-level <c>system</c> text blocks.</description></item>
/// <item><term>later <c>system</c>/<c>developer</c> messages</term><description><c>{"role":"system","content":[text]}</c> at their position.</description></item>
/// <item><term><c>user</c></term><description>Text and image blocks (<c>data:</c> URLs → base64 source; http(s) URLs → url source). Other part types → 400.</description></item>
/// <item><term><c>assistant</c></term><description>Replayed signed thinking blocks (from the reasoning memory, by <c>reasoning_content</c> text or by tool call ids), then text, then <c>tool_use</c> blocks. A <c>reasoning_content</c> whose signature is unknown is dropped: Anthropic rejects unsigned thinking. Empty assistant messages are dropped.</description></item>
/// <item><term><c>tool</c></term><description><c>tool_result</c> blocks; consecutive tool messages and a following user message form one user turn (consecutive same-role turns are always merged).</description></item>
/// <item><term><c>prefix:true</c></term><description>Only on the last message. The final assistant message is sent as Anthropic prefill, trailing whitespace trimmed (Anthropic rejects it).</description></item>
/// <item><term><c>max_completion_tokens</c> / <c>max_tokens</c></term><description><c>max_tokens</c> (the first one given), default <see cref="ChatToMessagesOptions.DefaultMaxTokens"/>; raised when thinking needs room (see below).</description></item>
/// <item><term><c>stop</c></term><description><c>stop_sequences</c> (empty strings skipped).</description></item>
/// <item><term><c>temperature</c></term><description>Clamped from OpenAI's 0–2 to Anthropic's 0–1 (values above 1 become 1). Dropped when thinking is on (Anthropic rejects it).</description></item>
/// <item><term><c>top_p</c></term><description><c>top_p</c>; dropped when <c>temperature</c> is also given (recent Claude models reject both); raised to 0.95 when thinking is on (Anthropic's range in thinking mode).</description></item>
/// <item><term><c>user_id</c> / <c>user</c></term><description><c>metadata.user_id</c>.</description></item>
/// <item><term><c>stream</c>, <c>stream_options.include_usage</c></term><description><c>stream</c>; both remembered in <see cref="TranslatedChatRequest"/>.</description></item>
/// <item><term><c>thinking</c>, <c>reasoning_effort</c></term><description><c>thinking:{type:"enabled",budget_tokens}</c> with the budget of the effort (<see cref="ChatToMessagesOptions.EffortBudgets"/>), plus <c>output_config.effort</c> when an effort was given (minimal→low, ultra→max). An explicit <c>thinking.type</c> wins; <c>reasoning_effort:"none"</c> is off; otherwise any effort turns thinking on.</description></item>
/// <item><term><c>response_format</c></term><description><c>json_object</c> → an extra system instruction (<see cref="ChatToMessagesOptions.JsonObjectInstruction"/>); <c>json_schema</c> → <c>output_config.format:{type:"json_schema",schema}</c>; <c>text</c> → nothing.</description></item>
/// <item><term><c>tools</c></term><description>Function tools (at most 128) → <c>{name, description, input_schema}</c>; missing <c>parameters</c> → an empty object schema; <c>strict:true</c> is kept.</description></item>
/// <item><term><c>tool_choice</c></term><description>none/auto/required/named → none/auto/any/tool. Forced choices turn thinking off for the request (<see cref="ThinkingFallback.ForcedToolChoice"/>).</description></item>
/// <item><term><c>parallel_tool_calls:false</c></term><description><c>tool_choice.disable_parallel_tool_use:true</c> (with <c>auto</c> when no choice was given).</description></item>
/// <item><term><c>n</c></term><description>1 or absent; greater → 400.</description></item>
/// <item><term><c>logprobs</c>, <c>top_logprobs</c>, <c>seed</c>, <c>frequency_penalty</c>, <c>presence_penalty</c>, <c>logit_bias</c>, <c>service_tier</c>, <c>store</c>, <c>metadata</c>, <c>modalities</c>, <c>prediction</c>, message <c>name</c></term><description>Ignored: Anthropic has no equivalent.</description></item>
/// </list>
/// <para>Thinking budget and <c>max_tokens</c>: with a client <c>max_tokens</c> M the budget is the effort's budget, but at most
/// max(1024, M/2), so half of M stays for the answer. When the budget is still not below M (M &lt; 2048, or no M was given and
/// the default is too small), <c>max_tokens</c> becomes budget + M: the client's allowance is kept for the answer.</para>
/// <para>When thinking is on but the conversation ends inside a tool loop whose last tool-call turn has no signed thinking
/// block, thinking is turned off for the request (<see cref="ThinkingFallback.UnsignedToolLoop"/>), because Anthropic
/// requires that turn to start with its thinking block.</para>
/// </remarks>
public sealed class LegacyChatToMessagesRequestTranslator
{
    private const int MinBudget = 1024;
    private const int MaxTools = 128;

    private readonly IReasoningMemory _memory;
    private readonly ChatToMessagesOptions _options;

    /// <summary>Creates a translator.</summary>
    /// <param name="memory">Where signatures of thinking blocks served earlier are found.</param>
    /// <param name="options">Defaults; <see langword="null"/> for the built-in ones.</param>
    public LegacyChatToMessagesRequestTranslator(IReasoningMemory memory, ChatToMessagesOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(memory);
        _memory = memory;
        _options = options ?? new ChatToMessagesOptions();
        if (_options.DefaultMaxTokens < 1)
        {
            throw new ArgumentException("DefaultMaxTokens must be at least 1.", nameof(options));
        }
    }

    private enum BlockKind
    {
        Text,
        Image,
        Thinking,
        ToolUse,
        ToolResult,
    }

    /// <summary>Translates <paramref name="request"/> for <paramref name="upstreamModel"/>.</summary>
    /// <exception cref="GatewayException">400 <c>invalid_request_error</c> for a request that is malformed or cannot be served.</exception>
    public TranslatedChatRequest Translate(JsonElement request, string upstreamModel)
    {
        ArgumentException.ThrowIfNullOrEmpty(upstreamModel);
        if (request.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.Invalid("The request body must be a JSON object.");
        }

        var clientModel = RequiredString(request, "model");
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
        if (LegacyChatJson.TryGet(request, "stream_options", out var streamOptions))
        {
            RequireKind(streamOptions, JsonValueKind.Object, "stream_options", "an object");
            includeUsage = OptionalBool(streamOptions, "include_usage", "stream_options.include_usage") ?? false;
        }

        var clientMax = OptionalInt(request, "max_completion_tokens") ?? OptionalInt(request, "max_tokens");
        if (clientMax is < 1)
        {
            var name = LegacyChatJson.TryGet(request, "max_completion_tokens", out _) ? "max_completion_tokens" : "max_tokens";
            throw GatewayException.Invalid($"{name}: must be at least 1.", name);
        }

        var temperature = OptionalNumber(request, "temperature", 0, 2);
        var topP = OptionalNumber(request, "top_p", 0, 1);
        var stops = ReadStop(request);
        var userId = OptionalString(request, "user_id") ?? OptionalString(request, "user");
        var (thinkingWanted, budget, effort) = ReadThinking(request);
        var (jsonObject, schema) = ReadResponseFormat(request);
        var tools = ReadTools(request);
        var (choice, choiceName) = ReadToolChoice(request, tools.Count);
        var parallel = OptionalBool(request, "parallel_tool_calls");

        var system = new List<string>();
        var turns = ReadMessages(messages, system);
        if (jsonObject)
        {
            system.Add(_options.JsonObjectInstruction);
        }

        if (!turns.Any(t => t.Role != "system"))
        {
            throw GatewayException.Invalid("messages: must contain at least one non-empty user or assistant message.", "messages");
        }

        var fallback = ThinkingFallback.None;
        if (thinkingWanted && choice is "any" or "tool")
        {
            fallback = ThinkingFallback.ForcedToolChoice;
        }
        else if (thinkingWanted && EndsInUnsignedToolLoop(turns))
        {
            fallback = ThinkingFallback.UnsignedToolLoop;
        }

        var thinking = thinkingWanted && fallback == ThinkingFallback.None;
        var maxTokens = clientMax ?? _options.DefaultMaxTokens;
        if (thinking)
        {
            if (clientMax is { } m)
            {
                budget = Math.Min(budget, Math.Max(MinBudget, m / 2));
            }

            if (budget >= maxTokens)
            {
                maxTokens = budget + maxTokens;
            }
        }

        if (thinking)
        {
            temperature = null;
            if (topP is < 0.95)
            {
                topP = 0.95;
            }
        }
        else if (temperature is not null)
        {
            topP = null;
        }

        var body = LegacyChatJson.Write(0, (w, _) =>
        {
            w.WriteStartObject();
            w.WriteString("model", upstreamModel);
            w.WriteNumber("max_tokens", maxTokens);
            if (system.Count > 0)
            {
                w.WriteStartArray("system");
                foreach (var text in system)
                {
                    WriteText(w, text);
                }

                w.WriteEndArray();
            }

            w.WriteStartArray("messages");
            foreach (var turn in turns)
            {
                WriteTurn(w, turn);
            }

            w.WriteEndArray();
            if (stops.Count > 0)
            {
                w.WriteStartArray("stop_sequences");
                foreach (var stop in stops)
                {
                    w.WriteStringValue(stop);
                }

                w.WriteEndArray();
            }

            if (temperature is { } t)
            {
                w.WriteNumber("temperature", Math.Min(t, 1.0));
            }

            if (topP is { } p)
            {
                w.WriteNumber("top_p", p);
            }

            if (!string.IsNullOrEmpty(userId))
            {
                w.WriteStartObject("metadata");
                w.WriteString("user_id", userId);
                w.WriteEndObject();
            }

            if (stream)
            {
                w.WriteBoolean("stream", true);
            }

            if (tools.Count > 0)
            {
                w.WritePropertyName("tools");
                w.WriteStartArray();
                foreach (var tool in tools)
                {
                    WriteTool(w, tool);
                }

                w.WriteEndArray();
                WriteToolChoice(w, choice ?? "auto", choiceName, parallel == false && choice != "none", explicitChoice: choice is not null);
            }

            if (thinking)
            {
                w.WriteStartObject("thinking");
                w.WriteString("type", "enabled");
                w.WriteNumber("budget_tokens", budget);
                w.WriteEndObject();
            }

            var sendEffort = thinking && effort is not null;
            if (sendEffort || schema is not null)
            {
                w.WriteStartObject("output_config");
                if (sendEffort)
                {
                    w.WriteString("effort", effort);
                }

                if (schema is { } s)
                {
                    w.WriteStartObject("format");
                    w.WriteString("type", "json_schema");
                    w.WritePropertyName("schema");
                    s.WriteTo(w);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        });

        return new TranslatedChatRequest
        {
            Body = body,
            ClientModel = clientModel,
            UpstreamModel = upstreamModel,
            Stream = stream,
            IncludeUsage = stream && includeUsage,
            Thinking = thinking,
            ThinkingFallback = fallback,
            ThinkingBudget = thinking ? budget : null,
            MaxTokens = maxTokens,
        };
    }

    // ---- messages ------------------------------------------------------------------------------------------------

    private List<Turn> ReadMessages(JsonElement messages, List<string> system)
    {
        var turns = new List<Turn>();
        var leading = true;
        var count = messages.GetArrayLength();
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var path = $"messages[{index}]";
            if (message.ValueKind != JsonValueKind.Object)
            {
                throw GatewayException.Invalid($"{path}: expected a message object.", path);
            }

            if (!message.TryGetProperty("role", out var roleElement) || roleElement.ValueKind != JsonValueKind.String)
            {
                throw GatewayException.Invalid($"{path}.role: required, and must be a string.", $"{path}.role");
            }

            var role = roleElement.GetString();
            var isLast = index == count - 1;
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
                        AddTurn(turns, "system", [Block.OfText(text)]);
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
                    AddTurn(turns, "user", [new Block { Kind = BlockKind.ToolResult, Id = id, Text = content }]);
                    break;
                default:
                    throw GatewayException.Invalid(
                        $"{path}.role: unknown role '{role}'; expected system, developer, user, assistant or tool.", $"{path}.role");
            }

            index++;
        }

        return turns;
    }

    private static void AddTurn(List<Turn> turns, string role, List<Block> blocks)
    {
        blocks.RemoveAll(b => b.Kind == BlockKind.Text && string.IsNullOrEmpty(b.Text));
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
            turns.Add(new Turn(role, blocks));
        }
    }

    private static string ReadTextContent(JsonElement message, string path, bool allowNull)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            return allowNull ? string.Empty : throw GatewayException.Invalid($"{path}.content: required.", $"{path}.content");
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw GatewayException.Invalid($"{path}.content: must be a string or an array of text parts.", $"{path}.content");
        }

        var sb = new StringBuilder();
        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            sb.Append(ReadTextPart(part, $"{path}.content[{i}]", allowRefusal: false));
            i++;
        }

        return sb.ToString();
    }

    private static string ReadTextPart(JsonElement part, string path, bool allowRefusal)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.Invalid($"{path}: expected a content part object.", path);
        }

        var type = LegacyChatJson.GetString(part, "type");
        if (type == "text" || (allowRefusal && type == "refusal"))
        {
            return LegacyChatJson.GetString(part, type) ?? throw GatewayException.Invalid($"{path}.{type}: required, and must be a string.", $"{path}.{type}");
        }

        throw GatewayException.Invalid(
            $"{path}: unsupported content part type '{type ?? "(none)"}' at index {path[(path.LastIndexOf('[') + 1)..^1]}; only text parts are allowed here.", path);
    }

    private static List<Block> ReadUserContent(JsonElement message, string path)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            throw GatewayException.Invalid($"{path}.content: required.", $"{path}.content");
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return [Block.OfText(content.GetString()!)];
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw GatewayException.Invalid($"{path}.content: must be a string or an array of content parts.", $"{path}.content");
        }

        var blocks = new List<Block>();
        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}.content[{i}]";
            if (part.ValueKind != JsonValueKind.Object)
            {
                throw GatewayException.Invalid($"{partPath}: expected a content part object.", partPath);
            }

            var type = LegacyChatJson.GetString(part, "type");
            switch (type)
            {
                case "text":
                    blocks.Add(Block.OfText(ReadTextPart(part, partPath, allowRefusal: false)));
                    break;
                case "image_url":
                    blocks.Add(ReadImage(part, partPath));
                    break;
                default:
                    throw GatewayException.Invalid(
                        $"{partPath}: unsupported content part type '{type ?? "(none)"}' at index {i}; supported types are text and image_url.", partPath);
            }

            i++;
        }

        return blocks;
    }

    private static Block ReadImage(JsonElement part, string path)
    {
        string? url = null;
        if (part.TryGetProperty("image_url", out var image))
        {
            url = image.ValueKind == JsonValueKind.String ? image.GetString() : LegacyChatJson.GetString(image, "url");
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

            return new Block { Kind = BlockKind.Image, MediaType = mediaType, Text = url[(comma + 1)..] };
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return new Block { Kind = BlockKind.Image, Text = url };
        }

        throw GatewayException.Invalid($"{path}.image_url.url: must be an http(s) URL or a base64 data URL.", $"{path}.image_url.url");
    }

    private List<Block> ReadAssistant(JsonElement message, string path)
    {
        var text = string.Empty;
        if (message.TryGetProperty("content", out var content) && content.ValueKind != JsonValueKind.Null)
        {
            if (content.ValueKind == JsonValueKind.String)
            {
                text = content.GetString()!;
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                var sb = new StringBuilder();
                var i = 0;
                foreach (var part in content.EnumerateArray())
                {
                    sb.Append(ReadTextPart(part, $"{path}.content[{i}]", allowRefusal: true));
                    i++;
                }

                text = sb.ToString();
            }
            else
            {
                throw GatewayException.Invalid($"{path}.content: must be a string, an array of text parts, or null.", $"{path}.content");
            }
        }

        string? reasoning = null;
        if (LegacyChatJson.TryGet(message, "reasoning_content", out var reasoningElement))
        {
            RequireKind(reasoningElement, JsonValueKind.String, $"{path}.reasoning_content", "a string");
            reasoning = reasoningElement.GetString();
        }

        var toolUses = new List<Block>();
        if (LegacyChatJson.TryGet(message, "tool_calls", out var calls))
        {
            RequireKind(calls, JsonValueKind.Array, $"{path}.tool_calls", "an array");
            var i = 0;
            foreach (var call in calls.EnumerateArray())
            {
                toolUses.Add(ReadToolCall(call, $"{path}.tool_calls[{i}]", path));
                i++;
            }
        }

        var blocks = new List<Block>(toolUses.Count + 2);
        if (LegacyRecall.TryRecall(_memory, reasoning, [.. toolUses.Select(t => t.Id!)], out var replay))
        {
            blocks.AddRange(replay.Select(r => new Block { Kind = BlockKind.Thinking, Replay = r }));
        }

        blocks.Add(Block.OfText(text));
        blocks.AddRange(toolUses);
        return blocks;
    }

    private static Block ReadToolCall(JsonElement call, string path, string messagePath)
    {
        if (call.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.Invalid($"{path}: expected a tool call object.", path);
        }

        var id = RequiredString(call, "id", $"{path}.id");
        if (LegacyChatJson.GetString(call, "type") is { } type && type != "function")
        {
            throw GatewayException.Invalid($"{path}.type: unsupported tool call type '{type}'; only function calls are supported.", $"{path}.type");
        }

        if (!LegacyChatJson.TryGet(call, "function", out var function) || function.ValueKind != JsonValueKind.Object)
        {
            throw GatewayException.Invalid($"{path}.function: required, and must be an object.", $"{path}.function");
        }

        var name = RequiredString(function, "name", $"{path}.function.name");
        JsonElement input;
        if (!LegacyChatJson.TryGet(function, "arguments", out var arguments)
            || (arguments.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(arguments.GetString())))
        {
            input = LegacyChatJson.EmptyObject;
        }
        else if (arguments.ValueKind == JsonValueKind.Object)
        {
            input = arguments;
        }
        else if (arguments.ValueKind != JsonValueKind.String)
        {
            throw GatewayException.Invalid($"{messagePath}: {path}.function.arguments must be a JSON string.", $"{path}.function.arguments");
        }
        else
        {
            try
            {
                using var document = JsonDocument.Parse(arguments.GetString()!);
                input = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw GatewayException.Invalid(
                    $"{messagePath}: {path}.function.arguments is not valid JSON; tool call arguments must be a JSON object.", $"{path}.function.arguments");
            }

            if (input.ValueKind != JsonValueKind.Object)
            {
                throw GatewayException.Invalid(
                    $"{messagePath}: {path}.function.arguments must encode a JSON object, not {input.ValueKind.ToString().ToLowerInvariant()}.", $"{path}.function.arguments");
            }
        }

        return new Block { Kind = BlockKind.ToolUse, Id = id, Name = name, Input = input };
    }

    private static void TrimTrailingWhitespace(List<Block> blocks)
    {
        var last = blocks.FindLastIndex(b => b.Kind != BlockKind.Thinking);
        if (last >= 0 && blocks[last].Kind == BlockKind.Text && blocks[last].Text is { } text)
        {
            blocks[last] = Block.OfText(text.TrimEnd());
        }
    }

    /// <summary>True when the last turn answers tool calls of an assistant turn that has no thinking block.</summary>
    private static bool EndsInUnsignedToolLoop(List<Turn> turns)
    {
        var conversation = turns.Where(t => t.Role != "system").ToList();
        if (conversation.Count < 2 || conversation[^1].Role != "user" || !conversation[^1].Blocks.Any(b => b.Kind == BlockKind.ToolResult))
        {
            return false;
        }

        var assistant = conversation[^2];
        return assistant.Role == "assistant"
            && assistant.Blocks.Any(b => b.Kind == BlockKind.ToolUse)
            && !assistant.Blocks.Any(b => b.Kind == BlockKind.Thinking);
    }

    // ---- top-level fields ---------------------------------------------------------------------------------------

    private static List<string> ReadStop(JsonElement request)
    {
        var stops = new List<string>();
        if (!LegacyChatJson.TryGet(request, "stop", out var stop))
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

    private (bool Enabled, int Budget, string? Effort) ReadThinking(JsonElement request)
    {
        string? effort = null;
        bool? explicitMode = null;
        int? explicitBudget = null;
        if (LegacyChatJson.TryGet(request, "reasoning_effort", out var effortElement))
        {
            RequireKind(effortElement, JsonValueKind.String, "reasoning_effort", "a string");
            var value = effortElement.GetString()!.ToLowerInvariant();
            if (value != "none" && !_options.EffortBudgets.ContainsKey(value))
            {
                throw GatewayException.Invalid(
                    $"reasoning_effort: unknown value '{value}'; expected none, {string.Join(", ", _options.EffortBudgets.Keys)}.", "reasoning_effort");
            }

            effort = value;
        }

        if (LegacyChatJson.TryGet(request, "thinking", out var thinking))
        {
            RequireKind(thinking, JsonValueKind.Object, "thinking", "an object");
            explicitMode = LegacyChatJson.GetString(thinking, "type") switch
            {
                "enabled" or "adaptive" => true,
                "disabled" => false,
                var other => throw GatewayException.Invalid(
                    $"thinking.type: unknown value '{other ?? "(none)"}'; expected enabled or disabled.", "thinking.type"),
            };
            explicitBudget = OptionalInt(thinking, "budget_tokens", "thinking.budget_tokens");
        }

        var enabled = explicitMode ?? (effort is not null && effort != "none");
        if (!enabled)
        {
            return (false, 0, null);
        }

        var budgetEffort = effort is null or "none" ? _options.DefaultEffort : effort;
        var budget = explicitBudget ?? (_options.EffortBudgets.TryGetValue(budgetEffort, out var b) ? b : 8192);
        var anthropicEffort = effort switch
        {
            null or "none" => null,
            "minimal" => "low",
            "ultra" => "max",
            "low" or "medium" or "high" or "xhigh" or "max" => effort,
            _ => null,
        };
        return (true, Math.Max(MinBudget, budget), anthropicEffort);
    }

    private static (bool JsonObject, JsonElement? Schema) ReadResponseFormat(JsonElement request)
    {
        if (!LegacyChatJson.TryGet(request, "response_format", out var format))
        {
            return (false, null);
        }

        RequireKind(format, JsonValueKind.Object, "response_format", "an object");
        switch (LegacyChatJson.GetString(format, "type"))
        {
            case "text":
                return (false, null);
            case "json_object":
                return (true, null);
            case "json_schema":
                if (!LegacyChatJson.TryGet(format, "json_schema", out var jsonSchema) || jsonSchema.ValueKind != JsonValueKind.Object
                    || !LegacyChatJson.TryGet(jsonSchema, "schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
                {
                    throw GatewayException.Invalid("response_format.json_schema.schema: required, and must be a JSON Schema object.", "response_format.json_schema.schema");
                }

                return (false, schema);
            case var other:
                throw GatewayException.Invalid(
                    $"response_format.type: unknown value '{other ?? "(none)"}'; expected text, json_object or json_schema.", "response_format.type");
        }
    }

    private static List<JsonElement> ReadTools(JsonElement request)
    {
        var tools = new List<JsonElement>();
        if (!LegacyChatJson.TryGet(request, "tools", out var array))
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
            var path = $"tools[{i}]";
            RequireKind(tool, JsonValueKind.Object, path, "an object");
            if (LegacyChatJson.GetString(tool, "type") is { } type && type != "function")
            {
                throw GatewayException.Invalid($"{path}.type: unsupported tool type '{type}'; only function tools are supported.", $"{path}.type");
            }

            if (!LegacyChatJson.TryGet(tool, "function", out var function) || function.ValueKind != JsonValueKind.Object)
            {
                throw GatewayException.Invalid($"{path}.function: required, and must be an object.", $"{path}.function");
            }

            RequiredString(function, "name", $"{path}.function.name");
            if (LegacyChatJson.TryGet(function, "description", out var description))
            {
                RequireKind(description, JsonValueKind.String, $"{path}.function.description", "a string");
            }

            if (LegacyChatJson.TryGet(function, "parameters", out var parameters))
            {
                RequireKind(parameters, JsonValueKind.Object, $"{path}.function.parameters", "a JSON Schema object");
            }

            tools.Add(function);
            i++;
        }

        return tools;
    }

    private static (string? Choice, string? Name) ReadToolChoice(JsonElement request, int toolCount)
    {
        if (!LegacyChatJson.TryGet(request, "tool_choice", out var choice))
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
        else if (choice.ValueKind == JsonValueKind.Object && LegacyChatJson.GetString(choice, "type") == "function")
        {
            name = LegacyChatJson.TryGet(choice, "function", out var function) ? LegacyChatJson.GetString(function, "name") : null;
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
            if (mapped is "any" or "tool")
            {
                throw GatewayException.Invalid("tool_choice: a required or named tool choice needs tools.", "tool_choice");
            }

            return (null, null);
        }

        return (mapped, name);
    }

    // ---- writing ------------------------------------------------------------------------------------------------

    private static void WriteTurn(Utf8JsonWriter w, Turn turn)
    {
        w.WriteStartObject();
        w.WriteString("role", turn.Role);
        w.WriteStartArray("content");
        // Anthropic wants tool_result blocks first in a user turn.
        IEnumerable<Block> blocks = turn.Role == "user"
            ? turn.Blocks.Where(b => b.Kind == BlockKind.ToolResult).Concat(turn.Blocks.Where(b => b.Kind != BlockKind.ToolResult))
            : turn.Blocks;
        foreach (var block in blocks)
        {
            switch (block.Kind)
            {
                case BlockKind.Text:
                    WriteText(w, block.Text!);
                    break;
                case BlockKind.Image:
                    w.WriteStartObject();
                    w.WriteString("type", "image");
                    w.WriteStartObject("source");
                    if (block.MediaType is { } mediaType)
                    {
                        w.WriteString("type", "base64");
                        w.WriteString("media_type", mediaType);
                        w.WriteString("data", block.Text);
                    }
                    else
                    {
                        w.WriteString("type", "url");
                        w.WriteString("url", block.Text);
                    }

                    w.WriteEndObject();
                    w.WriteEndObject();
                    break;
                case BlockKind.Thinking:
                    block.Replay.Write(w);
                    break;
                case BlockKind.ToolUse:
                    w.WriteStartObject();
                    w.WriteString("type", "tool_use");
                    w.WriteString("id", block.Id);
                    w.WriteString("name", block.Name);
                    w.WritePropertyName("input");
                    block.Input.WriteTo(w);
                    w.WriteEndObject();
                    break;
                case BlockKind.ToolResult:
                    w.WriteStartObject();
                    w.WriteString("type", "tool_result");
                    w.WriteString("tool_use_id", block.Id);
                    if (!string.IsNullOrEmpty(block.Text))
                    {
                        w.WriteString("content", block.Text);
                    }

                    w.WriteEndObject();
                    break;
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteText(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type", "text");
        w.WriteString("text", text);
        w.WriteEndObject();
    }

    private static void WriteTool(Utf8JsonWriter w, JsonElement function)
    {
        w.WriteStartObject();
        w.WriteString("name", LegacyChatJson.GetString(function, "name"));
        if (LegacyChatJson.GetString(function, "description") is { Length: > 0 } description)
        {
            w.WriteString("description", description);
        }

        w.WritePropertyName("input_schema");
        if (LegacyChatJson.TryGet(function, "parameters", out var parameters))
        {
            // Anthropic requires input_schema.type "object"; some clients leave it out.
            w.WriteStartObject();
            if (!parameters.TryGetProperty("type", out _))
            {
                w.WriteString("type", "object");
            }

            foreach (var property in parameters.EnumerateObject())
            {
                property.WriteTo(w);
            }

            w.WriteEndObject();
        }
        else
        {
            w.WriteStartObject();
            w.WriteString("type", "object");
            w.WriteStartObject("properties");
            w.WriteEndObject();
            w.WriteEndObject();
        }

        if (function.TryGetProperty("strict", out var strict) && strict.ValueKind == JsonValueKind.True)
        {
            w.WriteBoolean("strict", true);
        }

        w.WriteEndObject();
    }

    private static void WriteToolChoice(Utf8JsonWriter w, string choice, string? name, bool disableParallel, bool explicitChoice)
    {
        if (!explicitChoice && !disableParallel)
        {
            return;
        }

        w.WriteStartObject("tool_choice");
        w.WriteString("type", choice);
        if (name is not null)
        {
            w.WriteString("name", name);
        }

        if (disableParallel)
        {
            w.WriteBoolean("disable_parallel_tool_use", true);
        }

        w.WriteEndObject();
    }

    // ---- field readers ------------------------------------------------------------------------------------------

    private static string RequiredString(JsonElement obj, string name, string? path = null)
    {
        path ??= name;
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || value.GetString()!.Length == 0)
        {
            throw GatewayException.Invalid($"{path}: required, and must be a non-empty string.", path);
        }

        return value.GetString()!;
    }

    private static string? OptionalString(JsonElement obj, string name)
    {
        if (!LegacyChatJson.TryGet(obj, name, out var value))
        {
            return null;
        }

        RequireKind(value, JsonValueKind.String, name, "a string");
        return value.GetString();
    }

    private static bool? OptionalBool(JsonElement obj, string name, string? path = null)
    {
        if (!LegacyChatJson.TryGet(obj, name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw GatewayException.Invalid($"{path ?? name}: must be a boolean.", path ?? name),
        };
    }

    private static int? OptionalInt(JsonElement obj, string name, string? path = null)
    {
        if (!LegacyChatJson.TryGet(obj, name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var result))
        {
            return result;
        }

        // Integral doubles such as 1024.0 are accepted, as Python clients sometimes send them.
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
        {
            return (int)d;
        }

        throw GatewayException.Invalid($"{path ?? name}: must be an integer.", path ?? name);
    }

    private static double? OptionalNumber(JsonElement obj, string name, double min, double max)
    {
        if (!LegacyChatJson.TryGet(obj, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || number < min || number > max)
        {
            throw GatewayException.Invalid(
                $"{name}: must be a number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}.", name);
        }

        return number;
    }

    private static void RequireKind(JsonElement value, JsonValueKind kind, string path, string what)
    {
        if (value.ValueKind != kind)
        {
            throw GatewayException.Invalid($"{path}: must be {what}.", path);
        }
    }

    private sealed record Turn(string Role, List<Block> Blocks);

    private sealed class Block
    {
        public BlockKind Kind { get; init; }

        /// <summary>Text; an image's base64 data or URL; a tool result's content.</summary>
        public string? Text { get; init; }

        public string? MediaType { get; init; }

        public string? Id { get; init; }

        public string? Name { get; init; }

        public JsonElement Input { get; init; }

        public LegacyReplayBlock Replay { get; init; }

        public static Block OfText(string text) => new() { Kind = BlockKind.Text, Text = text };
    }
}


/// <summary>Writes JSON documents with one writer setup for this folder.</summary>
internal static class LegacyChatJson
{
    // Relaxed escaping keeps non-ASCII text (CJK, emoji) readable and small; the output is never embedded in HTML.
    public static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Runs <paramref name="write"/> on a fresh writer and returns the bytes written.</summary>
    public static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer, state);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>True when <paramref name="obj"/> has <paramref name="name"/> with a non-null value.</summary>
    public static bool TryGet(JsonElement obj, string name, out JsonElement value) =>
        (obj.ValueKind == JsonValueKind.Object ? obj.TryGetProperty(name, out value) : Fail(out value)) && value.ValueKind != JsonValueKind.Null;

    private static bool Fail(out JsonElement value)
    {
        value = default;
        return false;
    }

    /// <summary>A string property, or null when absent, null or not a string.</summary>
    public static string? GetString(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}


/// <summary>One Anthropic thinking-type block kept for replay.</summary>
/// <param name="Redacted">True for <c>redacted_thinking</c> (then <paramref name="Text"/> is its opaque <c>data</c>).</param>
/// <param name="Text">The thinking text, or the redacted block's data.</param>
/// <param name="Signature">The thinking block's signature (empty for redacted blocks).</param>
internal readonly record struct LegacyReplayBlock(bool Redacted, string Text, string Signature)
{
    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (Redacted)
        {
            writer.WriteString("type", "redacted_thinking");
            writer.WriteString("data", Text);
        }
        else
        {
            writer.WriteString("type", "thinking");
            writer.WriteString("thinking", Text);
            writer.WriteString("signature", Signature);
        }

        writer.WriteEndObject();
    }
}

internal static class LegacyRecall
{
    public const string CompositePrefix = "sy-blocks:";

    /// <summary>
    /// Finds the blocks to replay for an assistant message: by its <c>reasoning_content</c> first, then by its tool
    /// call ids. Entries without a signature are never replayed (Anthropic rejects unsigned thinking blocks).
    /// </summary>
    public static bool TryRecall(IReasoningMemory memory, string? reasoning, IReadOnlyList<string> toolCallIds, out List<LegacyReplayBlock> blocks)
    {
        if (!string.IsNullOrEmpty(reasoning)
            && memory.TryRecall(ReasoningKeys.ForReasoningText(reasoning), out var entry)
            && string.Equals(entry.Reasoning, reasoning, StringComparison.Ordinal)
            && TryDecode(entry, out blocks))
        {
            return true;
        }

        if (toolCallIds.Count > 0
            && memory.TryRecall(ReasoningKeys.ForToolCalls(toolCallIds), out entry)
            && TryDecode(entry, out blocks))
        {
            return true;
        }

        blocks = [];
        return false;
    }

    private static bool TryDecode(ReasoningEntry entry, out List<LegacyReplayBlock> blocks)
    {
        blocks = [];
        if (string.IsNullOrEmpty(entry.Signature))
        {
            return false;
        }

        if (!entry.Signature.StartsWith(CompositePrefix, StringComparison.Ordinal))
        {
            blocks.Add(new LegacyReplayBlock(false, entry.Reasoning, entry.Signature));
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(entry.Signature.AsMemory(CompositePrefix.Length));
            foreach (var block in document.RootElement.EnumerateArray())
            {
                var type = LegacyChatJson.GetString(block, "type");
                if (type == "redacted_thinking" && LegacyChatJson.GetString(block, "data") is { } data)
                {
                    blocks.Add(new LegacyReplayBlock(true, data, string.Empty));
                }
                else if (type == "thinking" && LegacyChatJson.GetString(block, "thinking") is { } text
                    && LegacyChatJson.GetString(block, "signature") is { Length: > 0 } signature)
                {
                    blocks.Add(new LegacyReplayBlock(false, text, signature));
                }
                else
                {
                    blocks.Clear();
                    return false;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            blocks.Clear();
            return false;
        }

        return blocks.Count > 0;
    }
}
