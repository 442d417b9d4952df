using Switchyard.Accounting;
using Switchyard.Anthropic;
using Switchyard.Errors;
using Switchyard.OpenAI;

namespace Switchyard.Translation;

/// <summary>Translates a non-streaming Chat Completions response into a Messages API response.</summary>
public sealed class ResponseTranslator
{
    private readonly ThinkingSignature _signature;

    /// <summary>Creates a translator that signs thinking blocks with <paramref name="signature"/>.</summary>
    public ResponseTranslator(ThinkingSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        _signature = signature;
    }

    /// <summary>Builds the Messages response for <paramref name="completion"/>.</summary>
    public MessageResponse Translate(ChatCompletion completion, TranslatedRequest request)
    {
        ArgumentNullException.ThrowIfNull(completion);
        ArgumentNullException.ThrowIfNull(request);
        var choice = completion.Choices is { Count: > 0 } choices ? choices[0] : null;
        var message = choice?.Message
            ?? throw new GatewayException(GatewayErrorKind.Api, "The upstream returned a response without choices.");
        var toolCalls = message.ToolCalls ?? [];
        var stopReason = StopReasons.FromFinishReason(choice.FinishReason, toolCalls.Count > 0);
        var usage = TokenUsage.FromChat(completion.Usage).ToAnthropic();
        if (request.WarmOnly)
        {
            return NewMessage(completion, request, [], "max_tokens", usage);
        }

        var content = new List<ResponseBlock>(toolCalls.Count + 2);
        if (request.Thinking && message.ReasoningContent is { } reasoning)
        {
            content.Add(Thinking(reasoning, request.DisplayOmitted));
        }

        if (!string.IsNullOrEmpty(message.Content))
        {
            content.Add(new TextContent { Text = message.Content });
        }

        foreach (var call in toolCalls)
        {
            content.Add(new ToolUseContent
            {
                Id = call.Id ?? AnthropicIds.NewToolUseId(),
                Name = call.Function?.Name ?? string.Empty,
                Input = ToolArguments.Parse(call.Function?.Arguments),
            });
        }

        return NewMessage(completion, request, content, stopReason, usage);
    }

    /// <summary>A signed thinking block; with <paramref name="omitted"/> the text is empty and travels in the signature.</summary>
    public ThinkingContent Thinking(string reasoning, bool omitted) => omitted
        ? new ThinkingContent { Thinking = string.Empty, Signature = _signature.SignOmitted(reasoning) }
        : new ThinkingContent { Thinking = reasoning, Signature = _signature.Sign(reasoning) };

    private static MessageResponse NewMessage(
        ChatCompletion completion, TranslatedRequest request, IReadOnlyList<ResponseBlock> content, string stopReason, MessageUsage usage) => new()
    {
        Id = AnthropicIds.NewMessageId(),
        Model = string.IsNullOrEmpty(completion.Model) ? request.Model.Model.Id : completion.Model,
        Content = content,
        StopReason = stopReason,
        Usage = usage,
    };
}
