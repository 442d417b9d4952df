// A Utf8JsonWriter writer over the same read model as ChatToMessagesWriter, kept here only to measure the
// source-generated serialization against hand-written JSON (ChatToMessagesWriterProbe). Not part of Switchyard.
using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchyard.Anthropic;
using Switchyard.Translation.ChatToMessages;

namespace Switchyard.Benchmarks.Legacy;

public sealed class HandWrittenMessagesWriter(ChatToMessagesOptions options)
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public byte[] Write(ChatToMessagesRequest request, ChatToMessagesPolicy policy, string upstreamModel)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteString("model", upstreamModel);
            w.WriteNumber("max_tokens", policy.MaxTokens);
            if (request.System.Count > 0 || request.JsonObject)
            {
                w.WriteStartArray("system");
                foreach (var text in request.System)
                {
                    Text(w, text);
                }

                if (request.JsonObject)
                {
                    Text(w, options.JsonObjectInstruction);
                }

                w.WriteEndArray();
            }

            w.WriteStartArray("messages");
            foreach (var turn in request.Messages)
            {
                w.WriteStartObject();
                w.WriteString("role", turn.Role);
                w.WriteStartArray("content");
                foreach (var block in turn.Content)
                {
                    Block(w, block);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (request.StopSequences.Count > 0)
            {
                w.WriteStartArray("stop_sequences");
                foreach (var stop in request.StopSequences)
                {
                    w.WriteStringValue(stop);
                }

                w.WriteEndArray();
            }

            if (policy.Temperature is { } t)
            {
                w.WriteNumber("temperature", t);
            }

            if (policy.TopP is { } p)
            {
                w.WriteNumber("top_p", p);
            }

            if (!string.IsNullOrEmpty(request.UserId))
            {
                w.WriteStartObject("metadata");
                w.WriteString("user_id", request.UserId);
                w.WriteEndObject();
            }

            if (request.Stream)
            {
                w.WriteBoolean("stream", true);
            }

            if (request.Tools.Count > 0)
            {
                w.WriteStartArray("tools");
                foreach (var tool in request.Tools)
                {
                    w.WriteStartObject();
                    w.WriteString("name", tool.Name);
                    if (tool.Description is { } description)
                    {
                        w.WriteString("description", description);
                    }

                    w.WritePropertyName("input_schema");
                    tool.InputSchema.WriteTo(w);
                    if (tool.Strict == true)
                    {
                        w.WriteBoolean("strict", true);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                var disableParallel = request.ParallelToolCalls == false && request.ToolChoice != "none";
                if (request.ToolChoice is not null || disableParallel)
                {
                    w.WriteStartObject("tool_choice");
                    w.WriteString("type", request.ToolChoice ?? "auto");
                    if (request.ToolChoiceName is { } name)
                    {
                        w.WriteString("name", name);
                    }

                    if (disableParallel)
                    {
                        w.WriteBoolean("disable_parallel_tool_use", true);
                    }

                    w.WriteEndObject();
                }
            }

            if (policy.Budget is { } budget)
            {
                w.WriteStartObject("thinking");
                w.WriteString("type", "enabled");
                w.WriteNumber("budget_tokens", budget);
                w.WriteEndObject();
            }

            if (policy.Effort is not null || request.JsonSchema is not null)
            {
                w.WriteStartObject("output_config");
                if (policy.Effort is { } effort)
                {
                    w.WriteString("effort", effort);
                }

                if (request.JsonSchema is { } schema)
                {
                    w.WriteStartObject("format");
                    w.WriteString("type", "json_schema");
                    w.WritePropertyName("schema");
                    schema.WriteTo(w);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Text(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type", "text");
        w.WriteString("text", text);
        w.WriteEndObject();
    }

    private static void Block(Utf8JsonWriter w, ContentBlockParam block)
    {
        switch (block)
        {
            case TextBlockParam text:
                Text(w, text.Text);
                return;
            case ImageBlockParam image:
                w.WriteStartObject();
                w.WriteString("type", "image");
                w.WriteStartObject("source");
                if (image.Source is Base64ImageSource data)
                {
                    w.WriteString("type", "base64");
                    w.WriteString("media_type", data.MediaType);
                    w.WriteString("data", data.Data);
                }
                else if (image.Source is UrlImageSource url)
                {
                    w.WriteString("type", "url");
                    w.WriteString("url", url.Url);
                }

                w.WriteEndObject();
                w.WriteEndObject();
                return;
            case ThinkingBlockParam thinking:
                w.WriteStartObject();
                w.WriteString("type", "thinking");
                w.WriteString("thinking", thinking.Thinking);
                w.WriteString("signature", thinking.Signature);
                w.WriteEndObject();
                return;
            case RedactedThinkingBlockParam redacted:
                w.WriteStartObject();
                w.WriteString("type", "redacted_thinking");
                w.WriteString("data", redacted.Data);
                w.WriteEndObject();
                return;
            case ToolUseBlockParam use:
                w.WriteStartObject();
                w.WriteString("type", "tool_use");
                w.WriteString("id", use.Id);
                w.WriteString("name", use.Name);
                w.WritePropertyName("input");
                use.Input.WriteTo(w);
                w.WriteEndObject();
                return;
            case ToolResultBlockParam result:
                w.WriteStartObject();
                w.WriteString("type", "tool_result");
                w.WriteString("tool_use_id", result.ToolUseId);
                if (result.Content is { } content)
                {
                    w.WriteString("content", content);
                }

                w.WriteEndObject();
                return;
        }
    }
}
