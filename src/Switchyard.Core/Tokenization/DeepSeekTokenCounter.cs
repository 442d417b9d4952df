using System.Text.Json;
using Switchyard.OpenAI;
using Switchyard.Tokenization;

namespace Switchyard.Tokenization;

/// <summary>
/// Counts what DeepSeek will count: the translated request rendered with DeepSeek's chat template and encoded
/// with its tokenizer. Long strings (system prompt, tool definitions) are memoised by the template counter.
/// </summary>
public sealed class DeepSeekTokenCounter : ITokenCounter
{
    // The vocabulary costs ~0.1 s of CPU and ~10 MB: it is loaded by the first count, not at start-up (most
    // non-streaming requests never count).
    private readonly Lazy<(DeepSeekTokenizer Tokenizer, ChatTemplateTokenCounter Template)> _counter;

    /// <summary>Creates a counter over the shared tokenizer, which is loaded on the first count.</summary>
    public DeepSeekTokenCounter()
    {
        _counter = new(() => (DeepSeekTokenizer.Shared, new ChatTemplateTokenCounter(DeepSeekTokenizer.Shared)));
    }

    /// <summary>Creates a counter over <paramref name="tokenizer"/>.</summary>
    public DeepSeekTokenCounter(DeepSeekTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _counter = new((tokenizer, new ChatTemplateTokenCounter(tokenizer)));
    }

    /// <inheritdoc />
    public int CountPrompt(ChatCompletionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var messages = new List<TemplateMessage>(request.Messages.Count);
        foreach (var message in request.Messages)
        {
            messages.Add(new TemplateMessage(
                message.Role,
                message.Content,
                message.ReasoningContent,
                message.ToolCalls?.Select(c => new TemplateToolCall(c.Function.Name ?? string.Empty, c.Function.Arguments ?? "{}")).ToList(),
                message.ToolCallId));
        }

        List<string>? tools = null;
        if (request.Tools is { Count: > 0 })
        {
            tools = new List<string>(request.Tools.Count);
            foreach (var tool in request.Tools)
            {
                tools.Add(JsonSerializer.Serialize(tool, OpenAIJsonContext.Default.ChatTool));
            }
        }

        return _counter.Value.Template.CountPromptTokens(messages, tools, request.Thinking?.Type == "enabled");
    }

    /// <inheritdoc />
    public int CountText(string text) => string.IsNullOrEmpty(text) ? 0 : _counter.Value.Tokenizer.CountTokens(text);
}
