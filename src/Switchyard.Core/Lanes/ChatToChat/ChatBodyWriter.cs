using System.Buffers;
using System.Text.Json;
using Switchyard.Lanes.Relay;
using Switchyard.Memory;
using Switchyard.Translation;

namespace Switchyard.Lanes.ChatToChat;

/// <summary>
/// Writes the body the relay lane sends upstream, straight from the client's parsed body: every field as the client
/// sent it except the model (the target's id), the fields the table drops, <c>user</c>/<c>user_id</c> (→ the
/// <c>user_id</c> the <see cref="UserIdPolicy"/> gives), <c>thinking</c> (the <see cref="ChatThinkingPolicy"/>'s), <c>developer</c> roles (→
/// <c>system</c>) and the reasoning of assistant tool-call turns (restored from the reasoning memory, or <c>""</c> in
/// thinking mode, as DeepSeek V4 requires).
/// </summary>
public static class ChatBodyWriter
{
    /// <summary>The upstream body, and how many assistant turns got their reasoning back.</summary>
    public static (byte[] Body, int Restored) Write(
        ChatRequest request, string upstreamModel, ChatThinkingPolicy thinking, IReasoningMemory memory, string? userId)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(upstreamModel);
        ArgumentNullException.ThrowIfNull(thinking);
        ArgumentNullException.ThrowIfNull(memory);
        var buffer = new ArrayBufferWriter<byte>(request.Body.ValueKind == JsonValueKind.Object ? 1024 : 256);
        var restored = 0;
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JsonOutput.Encoder }))
        {
            w.WriteStartObject();
            w.WriteString("model", upstreamModel);
            foreach (var property in request.Body.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "model" or "thinking":
                        break;
                    case "user" or "user_id":
                        break;
                    case "messages":
                        w.WritePropertyName("messages");
                        restored = WriteMessages(w, property.Value, thinking.Thinking, memory);
                        break;
                    default:
                        if (!request.Dropped.Contains(property.Name))
                        {
                            property.WriteTo(w);
                        }

                        break;
                }
            }

            if (userId is not null)
            {
                w.WriteString("user_id", userId);
            }

            if (thinking.Send is { } type)
            {
                w.WriteStartObject("thinking");
                w.WriteString("type", type);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return (buffer.WrittenSpan.ToArray(), restored);
    }

    private static int WriteMessages(Utf8JsonWriter w, JsonElement messages, bool thinking, IReasoningMemory memory)
    {
        var restored = 0;
        w.WriteStartArray();
        foreach (var message in messages.EnumerateArray())
        {
            var role = message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            var needsReasoning = role == "assistant" &&
                                 message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array && calls.GetArrayLength() > 0 &&
                                 !(message.TryGetProperty("reasoning_content", out var rc) && rc.ValueKind == JsonValueKind.String);
            if (role != "developer" && !needsReasoning)
            {
                message.WriteTo(w);
                continue;
            }

            w.WriteStartObject();
            foreach (var property in message.EnumerateObject())
            {
                if (property.Name == "role" && role == "developer")
                {
                    w.WriteString("role", "system");
                }
                else if (property.Name != "reasoning_content" || !needsReasoning)
                {
                    property.WriteTo(w);
                }
            }

            if (needsReasoning)
            {
                var ids = message.GetProperty("tool_calls").EnumerateArray()
                    .Select(c => c.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : string.Empty);
                if (memory.TryRecall(ReasoningKeys.ForToolCalls(ids), out var entry))
                {
                    w.WriteString("reasoning_content", entry.Reasoning);
                    restored++;
                }
                else if (thinking)
                {
                    // A turn the memory does not know (not served here, or forgotten): DeepSeek still needs the field.
                    w.WriteString("reasoning_content", string.Empty);
                }
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        return restored;
    }
}
