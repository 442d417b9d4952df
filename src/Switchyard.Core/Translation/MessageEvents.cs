using Switchyard.Anthropic;

namespace Switchyard.Translation;

/// <summary>
/// A whole Message told as a Messages API stream (for answers that are checked before anything is sent, such as
/// structured output): <c>message_start</c>, each block's start, delta(s) and stop (a <c>ping</c> after the first), <c>message_delta</c>,
/// <c>message_stop</c> — the grammar the SDKs parse, as <see cref="StreamTranslator"/> writes it.
/// </summary>
public static class MessageEvents
{
    /// <summary>The events of <paramref name="message"/>.</summary>
    public static List<StreamEvent> From(MessageResponse message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var events = new List<StreamEvent>(3 + (3 * message.Content.Count) + 2)
        {
            new MessageStartEvent(message with
            {
                Content = [],
                StopReason = null,
                StopSequence = null,
                Usage = message.Usage with { OutputTokens = Math.Min(1, message.Usage.OutputTokens) },
            }),
        };
        for (var index = 0; index < message.Content.Count; index++)
        {
            switch (message.Content[index])
            {
                case ThinkingContent thinking:
                    events.Add(new ContentBlockStartEvent(index, new ThinkingContent { Thinking = string.Empty, Signature = string.Empty }));
                    if (thinking.Thinking.Length > 0)
                    {
                        events.Add(new ContentBlockDeltaEvent(index, new ThinkingDelta(thinking.Thinking)));
                    }

                    events.Add(new ContentBlockDeltaEvent(index, new SignatureDelta(thinking.Signature)));
                    break;
                case TextContent text:
                    events.Add(new ContentBlockStartEvent(index, new TextContent { Text = string.Empty }));
                    events.Add(new ContentBlockDeltaEvent(index, new TextDelta(text.Text)));
                    break;
                case ToolUseContent tool:
                    events.Add(new ContentBlockStartEvent(index, tool with { Input = EmptyObject.Value }));
                    events.Add(new ContentBlockDeltaEvent(index, new InputJsonDelta(tool.Input.GetRawText())));
                    break;
            }

            events.Add(new ContentBlockStopEvent(index));
            if (index == 0)
            {
                // Anthropic sends a ping after the first block, and so does every Switchyard stream.
                events.Add(PingEvent.Instance);
            }
        }

        events.Add(new MessageDeltaEvent(new MessageDelta(message.StopReason ?? "end_turn", message.StopSequence), message.Usage));
        events.Add(MessageStopEvent.Instance);
        return events;
    }
}
