using System.Text;
using System.Text.Json;

namespace Switchyard.Routing;

/// <summary>
/// What a request needs from the model that serves it, read from the raw body before validation (so a request with
/// images can be routed to a provider that takes them instead of being rejected).
/// </summary>
public sealed class RequestNeeds
{
    private readonly Func<int>? _countTokens;
    private int? _inputTokens;

    /// <summary>Creates the needs; <paramref name="countTokens"/> counts input tokens on first use.</summary>
    public RequestNeeds(string model, Func<int>? countTokens = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        _countTokens = countTokens;
    }

    /// <summary>The requested model name.</summary>
    public string Model { get; }

    /// <summary>Image blocks (or image parts) anywhere in the conversation.</summary>
    public bool Images { get; init; }

    /// <summary>Document blocks anywhere in the conversation.</summary>
    public bool Documents { get; init; }

    /// <summary>Thinking asked for.</summary>
    public bool Thinking { get; init; }

    /// <summary>Tools defined.</summary>
    public bool Tools { get; init; }

    /// <summary>Whether the model name is of the small, background class (<c>*haiku*</c>).</summary>
    public bool Background => Switchyard.Models.Glob.IsMatch("*haiku*", Model);

    /// <summary>Input tokens, counted once on first use (0 without a counter).</summary>
    public int InputTokens => _inputTokens ??= _countTokens?.Invoke() ?? 0;

    /// <summary>Whether <see cref="InputTokens"/> has been counted.</summary>
    public bool TokensCounted => _inputTokens is not null;

    /// <summary>Reads a Messages API body. <paramref name="countTokens"/> is called at most once, when a route needs it.</summary>
    public static RequestNeeds FromMessages(JsonElement root, Func<int>? countTokens = null)
    {
        var model = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String
            ? m.GetString()!
            : string.Empty;
        var images = false;
        var documents = false;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray())
            {
                if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var content))
                {
                    ScanBlocks(content, ref images, ref documents);
                }
            }
        }

        var thinking = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("thinking", out var t) && t.ValueKind == JsonValueKind.Object &&
                       t.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String &&
                       type.GetString() is "enabled" or "adaptive";
        var tools = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("tools", out var toolList) &&
                    toolList.ValueKind == JsonValueKind.Array && toolList.GetArrayLength() > 0;
        return new RequestNeeds(model, countTokens) { Images = images, Documents = documents, Thinking = thinking, Tools = tools };
    }

    /// <summary>Reads a Chat Completions body (image parts are <c>image_url</c>; thinking is on unless disabled).</summary>
    public static RequestNeeds FromChat(JsonElement body, Func<int>? countTokens = null)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return new RequestNeeds(string.Empty, countTokens);
        }

        var model = String(body, "model") ?? string.Empty;
        var images = false;
        if (body.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray())
            {
                if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var parts) && parts.ValueKind == JsonValueKind.Array)
                {
                    images |= parts.EnumerateArray().Any(p => p.ValueKind == JsonValueKind.Object && String(p, "type") is "image_url" or "input_image");
                }
            }
        }

        var thinkingType = body.TryGetProperty("thinking", out var thinking) && thinking.ValueKind == JsonValueKind.Object ? String(thinking, "type") : null;
        var effort = String(body, "reasoning_effort");
        var thinks = thinkingType is "enabled" or "adaptive" || (thinkingType is null && effort is not null && effort != "none");
        var tools = body.TryGetProperty("tools", out var toolList) && toolList.ValueKind == JsonValueKind.Array && toolList.GetArrayLength() > 0;
        return new RequestNeeds(model, countTokens) { Images = images, Thinking = thinks, Tools = tools };
    }

    /// <summary>Reads a Responses API body (image parts are <c>input_image</c>; thinking is asked for by a <c>reasoning.effort</c> other than none).</summary>
    public static RequestNeeds FromResponses(JsonElement body, Func<int>? countTokens = null)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return new RequestNeeds(string.Empty, countTokens);
        }

        var images = false;
        if (body.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in input.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("content", out var parts) && parts.ValueKind == JsonValueKind.Array)
                {
                    images |= parts.EnumerateArray().Any(p => p.ValueKind == JsonValueKind.Object && String(p, "type") == "input_image");
                }
            }
        }

        var effort = body.TryGetProperty("reasoning", out var reasoning) && reasoning.ValueKind == JsonValueKind.Object ? String(reasoning, "effort") : null;
        var tools = body.TryGetProperty("tools", out var toolList) && toolList.ValueKind == JsonValueKind.Array && toolList.GetArrayLength() > 0;
        return new RequestNeeds(String(body, "model") ?? string.Empty, countTokens) { Images = images, Thinking = effort is not null and not "none", Tools = tools };
    }

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A rough token count of a body's text (for bodies the translator cannot read, e.g. with images).</summary>
    public static string TextOf(JsonElement root)
    {
        var sb = new StringBuilder();
        Collect(root, sb);
        return sb.ToString();
    }

    private static void Collect(JsonElement element, StringBuilder sb)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    // Base64 payloads are not text the model reads as tokens.
                    if (property.Name is not ("data" or "source"))
                    {
                        Collect(property.Value, sb);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, sb);
                }

                break;
            case JsonValueKind.String:
                sb.Append(element.GetString()).Append('\n');
                break;
        }
    }

    private static void ScanBlocks(JsonElement content, ref bool images, ref bool documents)
    {
        if (content.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var block in content.EnumerateArray())
        {
            if (block.ValueKind != JsonValueKind.Object || !block.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            switch (type.GetString())
            {
                case "image":
                    images = true;
                    break;
                case "document":
                    documents = true;
                    break;
                case "tool_result" when block.TryGetProperty("content", out var inner):
                    ScanBlocks(inner, ref images, ref documents);
                    break;
            }
        }
    }
}
