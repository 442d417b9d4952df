using System.Buffers;
using System.Text.Json;
using Switchyard.Lanes.Relay;
using Switchyard.Memory;
using Switchyard.OpenAI;
using Switchyard.Translation;
using Switchyard.Translation.StructuredOutput;

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
    /// <param name="request">The request as read.</param>
    /// <param name="upstreamModel">The target's model id.</param>
    /// <param name="thinking">The thinking decision.</param>
    /// <param name="memory">Where dropped reasoning is found.</param>
    /// <param name="userId">The <c>user_id</c> to send (the <see cref="UserIdPolicy"/>'s), or null.</param>
    /// <param name="structured">
    /// For structured output: the schema is asked as the plan says (a forced function, or JSON mode with the schema
    /// in a system instruction), and the answer is requested whole (not as a stream), to be checked before it is sent.
    /// </param>
    /// <param name="extra">Messages appended after the client's (a structured-output repair).</param>
    public static (byte[] Body, int Restored) Write(
        ChatRequest request, string upstreamModel, ChatThinkingPolicy thinking, IReasoningMemory memory, string? userId,
        StructuredOutputPlan? structured = null, IReadOnlyList<ChatMessage>? extra = null)
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
                    case "response_format" or "stream" or "stream_options" when structured is not null:
                        break;
                    case "tool_choice" when structured is { Mode: not StructuredOutputMode.JsonMode }:
                        break;
                    case "user" or "user_id":
                        break;
                    case "messages":
                        w.WritePropertyName("messages");
                        restored = WriteMessages(w, property.Value, thinking.Thinking, memory, structured, extra);
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

            if (structured is not null)
            {
                WriteStructured(w, structured);
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

    private static void WriteStructured(Utf8JsonWriter w, StructuredOutputPlan plan)
    {
        if (plan.Mode == StructuredOutputMode.JsonMode)
        {
            w.WriteStartObject("response_format");
            w.WriteString("type", "json_object");
            w.WriteEndObject();
            return;
        }

        w.WriteStartArray("tools");
        w.WriteStartObject();
        w.WriteString("type", "function");
        w.WriteStartObject("function");
        w.WriteString("name", StructuredOutputPlan.ToolName);
        w.WriteString("description", plan.ToolDescription);
        w.WritePropertyName("parameters");
        plan.Parameters.WriteTo(w);
        if (plan.Mode == StructuredOutputMode.StrictTool)
        {
            w.WriteBoolean("strict", true);
        }

        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartObject("tool_choice");
        w.WriteString("type", "function");
        w.WriteStartObject("function");
        w.WriteString("name", StructuredOutputPlan.ToolName);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static int WriteMessages(
        Utf8JsonWriter w, JsonElement messages, bool thinking, IReasoningMemory memory, StructuredOutputPlan? structured, IReadOnlyList<ChatMessage>? extra)
    {
        var restored = 0;
        w.WriteStartArray();
        if (structured is { Mode: StructuredOutputMode.JsonMode })
        {
            w.WriteStartObject();
            w.WriteString("role", "system");
            w.WriteString("content", structured.Instruction);
            w.WriteEndObject();
        }

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

        foreach (var message in extra ?? [])
        {
            JsonSerializer.Serialize(w, message, OpenAIJsonContext.Default.ChatMessage);
        }

        w.WriteEndArray();
        return restored;
    }
}
