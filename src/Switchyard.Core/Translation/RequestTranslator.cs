using System.Text;
using Switchyard.Anthropic;
using Switchyard.Errors;
using Switchyard.Memory;
using Switchyard.Translation.StructuredOutput;
using Switchyard.Models;
using Switchyard.OpenAI;

namespace Switchyard.Translation;

/// <summary>Translates a Messages API request into a DeepSeek Chat Completions request.</summary>
public sealed class RequestTranslator
{
    private readonly ModelCatalog _catalog;
    private readonly ThinkingSignature _signature;
    private readonly TranslationOptions _options;
    private readonly IReasoningMemory? _memory;

    /// <summary>
    /// Creates a translator; with <paramref name="memory"/>, assistant tool-call turns that come back without their
    /// reasoning (Claude Code leaves old thinking blocks out on --continue and --resume) get it from the memory.
    /// </summary>
    public RequestTranslator(ModelCatalog catalog, ThinkingSignature signature, TranslationOptions options, IReasoningMemory? memory = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(options);
        _catalog = catalog;
        _signature = signature;
        _options = options;
        _memory = memory;
    }

    /// <summary>Translates <paramref name="request"/>; throws <see cref="GatewayException"/> for requests that cannot be served.</summary>
    public TranslatedRequest Translate(MessagesRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Translate(request, _catalog.Resolve(request.Model));
    }

    /// <summary>
    /// Translates <paramref name="request"/> for <paramref name="model"/> (a route's target model); with
    /// <paramref name="structured"/>, the requested schema is asked the way the plan says.
    /// </summary>
    public TranslatedRequest Translate(MessagesRequest request, ModelResolution model, StructuredOutputPlan? structured = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(model);
        var wantsThinking = request.Thinking?.Mode switch
        {
            ThinkingMode.Enabled or ThinkingMode.Adaptive => true,
            ThinkingMode.Disabled => false,
            _ => model.DefaultThinking ?? false,
        };
        // DeepSeek answers 400 to forced tool choice in thinking mode; the forced call matters more to the caller.
        var forcedTool = request.ToolChoice?.Kind is ToolChoiceKind.Any or ToolChoiceKind.Tool;
        var structuredOff = structured is { DisablesThinking: true };
        var thinking = wantsThinking && !forcedTool && !structuredOff;

        var maxTokens = request.MaxTokens;
        if (maxTokens > model.Model.MaxOutputTokens)
        {
            throw GatewayException.Invalid(
                $"max_tokens: {maxTokens} > {model.Model.MaxOutputTokens}, which is the maximum allowed number of output tokens for {model.Model.Id}",
                "max_tokens");
        }

        var restored = 0;
        var messages = TranslateMessages(request, thinking, out var prefill, ref restored);
        if (structured is { Mode: StructuredOutputMode.JsonMode })
        {
            messages.Insert(0, new ChatMessage { Role = "system", Content = structured.Instruction });
        }

        var declared = Declared(request);
        var chat = new ChatCompletionRequest
        {
            Model = model.UpstreamModel,
            Messages = messages,
            Thinking = thinking ? ChatThinking.Enabled : ChatThinking.Disabled,
            ReasoningEffort = thinking && request.Effort is { } effort && _options.EffortMap.TryGetValue(effort, out var mapped) ? mapped : null,
            MaxTokens = maxTokens == 0 ? 1 : maxTokens,
            Temperature = request.Temperature,
            TopP = request.TopP,
            Tools = declared.Count > 0 ? declared : null,
            ToolChoice = declared.Count > 0 ? TranslateToolChoice(request) : null,
            UserId = SanitizeUserId(request.UserId),
        };
        if (structured is not null)
        {
            chat = structured.Mode == StructuredOutputMode.JsonMode
                ? chat with { ResponseFormat = new ChatResponseFormat("json_object") }
                : chat with
                {
                    Tools =
                    [
                        new ChatTool
                        {
                            Function = new ChatFunctionDefinition
                            {
                                Name = StructuredOutputPlan.ToolName,
                                Description = structured.ToolDescription,
                                Parameters = structured.Parameters,
                                Strict = structured.Mode == StructuredOutputMode.StrictTool ? true : null,
                            },
                        },
                    ],
                    ToolChoice = new ChatToolChoice { FunctionName = StructuredOutputPlan.ToolName },
                };
        }

        return new TranslatedRequest
        {
            Chat = chat,
            Model = model,
            Thinking = thinking,
            ThinkingDisabledForToolChoice = wantsThinking && forcedTool,
            ThinkingDisabledForStructuredOutput = wantsThinking && !forcedTool && structuredOff,
            StructuredOutput = structured,
            DisplayOmitted = request.Thinking?.DisplayOmitted ?? false,
            Prefill = prefill,
            WarmOnly = maxTokens == 0,
            StopSequences = request.StopSequences,
            RestoredReasoning = restored,
        };
    }

    private List<ChatMessage> TranslateMessages(MessagesRequest request, bool thinking, out bool prefill, ref int restored)
    {
        var result = new List<ChatMessage>(request.Messages.Count + 1);
        var system = JoinSystem(request.System);
        if (system.Length > 0)
        {
            result.Add(new ChatMessage { Role = "system", Content = system });
        }

        prefill = false;
        HashSet<string>? openToolCalls = null;
        List<ChatMessage>? deferredSystem = null;
        var index = 0;
        while (index < request.Messages.Count)
        {
            // Consecutive turns of the same role form one turn, as in the Messages API.
            var role = request.Messages[index].Role;
            var start = index;
            var blocks = new List<ContentBlock>();
            while (index < request.Messages.Count && request.Messages[index].Role == role)
            {
                blocks.AddRange(request.Messages[index].Content);
                index++;
            }

            var path = start == index - 1 ? $"messages[{start}]" : $"messages[{start}..{index - 1}]";
            switch (role)
            {
                case MessageRole.System:
                    var text = JoinSystem(blocks.OfType<TextBlock>().Select(b => b.Text));
                    if (text.Length > 0)
                    {
                        var message = new ChatMessage { Role = "system", Content = text };
                        if (openToolCalls is { Count: > 0 })
                        {
                            // Nothing may stand between tool calls and their results upstream.
                            (deferredSystem ??= []).Add(message);
                        }
                        else
                        {
                            result.Add(message);
                        }
                    }

                    break;
                case MessageRole.User:
                    AddUserTurn(result, blocks, openToolCalls, deferredSystem, path);
                    openToolCalls = null;
                    deferredSystem = null;
                    break;
                default:
                    if (openToolCalls is { Count: > 0 })
                    {
                        throw MissingToolResults(openToolCalls, path);
                    }

                    var assistant = TranslateAssistant(blocks, thinking, out openToolCalls, ref restored);
                    var isLast = index == request.Messages.Count;
                    if (isLast && assistant.ToolCalls is null && !string.IsNullOrEmpty(assistant.Content))
                    {
                        assistant = assistant with { Prefix = true };
                        prefill = true;
                    }

                    result.Add(assistant);
                    break;
            }
        }

        if (openToolCalls is { Count: > 0 })
        {
            throw MissingToolResults(openToolCalls, $"messages[{request.Messages.Count - 1}]");
        }

        if (deferredSystem is not null)
        {
            result.AddRange(deferredSystem);
        }

        return result;
    }

    private static void AddUserTurn(
        List<ChatMessage> result, List<ContentBlock> blocks, HashSet<string>? openToolCalls, List<ChatMessage>? deferredSystem, string path)
    {
        StringBuilder? text = null;
        foreach (var block in blocks)
        {
            switch (block)
            {
                case ToolResultBlock toolResult:
                    if (openToolCalls is null || !openToolCalls.Remove(toolResult.ToolUseId))
                    {
                        throw GatewayException.Invalid(
                            $"{path}: unexpected tool_use_id '{toolResult.ToolUseId}' in a tool_result block: each tool_result must answer a tool_use of the previous assistant message",
                            "messages");
                    }

                    result.Add(new ChatMessage
                    {
                        Role = "tool",
                        ToolCallId = toolResult.ToolUseId,
                        Content = toolResult.IsError ? "[error] " + toolResult.Content : toolResult.Content,
                    });
                    break;
                case TextBlock textBlock:
                    text = Append(text, textBlock.Text);
                    break;
            }
        }

        if (openToolCalls is { Count: > 0 })
        {
            throw MissingToolResults(openToolCalls, path);
        }

        if (deferredSystem is not null)
        {
            result.AddRange(deferredSystem);
        }

        if (text is not null)
        {
            result.Add(new ChatMessage { Role = "user", Content = text.ToString() });
        }
    }

    private ChatMessage TranslateAssistant(List<ContentBlock> blocks, bool thinking, out HashSet<string>? toolCallIds, ref int restored)
    {
        StringBuilder? text = null;
        StringBuilder? reasoning = null;
        List<ChatToolCall>? toolCalls = null;
        toolCallIds = null;
        foreach (var block in blocks)
        {
            switch (block)
            {
                case TextBlock textBlock:
                    text = Append(text, textBlock.Text);
                    break;
                case ThinkingBlock thinkingBlock:
                    // Foreign or modified blocks are replayed as sent: DeepSeek needs some reasoning on tool-call
                    // turns, and the client's text is the best we have.
                    _signature.Verify(thinkingBlock.Thinking, thinkingBlock.Signature, out var replay);
                    reasoning = Append(reasoning, replay);
                    break;
                case ToolUseBlock toolUse:
                    toolCalls ??= [];
                    toolCallIds ??= new HashSet<string>(StringComparer.Ordinal);
                    toolCallIds.Add(toolUse.Id);
                    toolCalls.Add(new ChatToolCall
                    {
                        Id = toolUse.Id,
                        Function = new ChatFunctionCall { Name = toolUse.Name, Arguments = toolUse.Input.GetRawText() },
                    });
                    break;
            }
        }

        // A tool-call turn that came back without its reasoning (a resumed session drops old thinking blocks) gets the
        // reasoning Switchyard remembered for it; failing that, DeepSeek V4 still needs the field in thinking mode.
        if (thinking && toolCalls is not null && string.IsNullOrEmpty(reasoning?.ToString()) && _memory is not null &&
            _memory.TryRecall(ReasoningKeys.ForToolCalls(toolCalls.Select(c => c.Id)), out var remembered))
        {
            reasoning = new StringBuilder(remembered.Reasoning);
            restored++;
        }

        var reasoningContent = reasoning?.ToString() ?? (thinking && toolCalls is not null ? string.Empty : null);
        return new ChatMessage
        {
            Role = "assistant",
            Content = text?.ToString() ?? (toolCalls is null ? string.Empty : null),
            ReasoningContent = reasoningContent,
            ToolCalls = toolCalls,
        };
    }

    private string JoinSystem(IEnumerable<string> texts)
    {
        StringBuilder? sb = null;
        foreach (var text in texts)
        {
            if (!_options.DroppedSystemPrefixes.Any(prefix => text.StartsWith(prefix, StringComparison.Ordinal)))
            {
                sb = Append(sb, text);
            }
        }

        return sb?.ToString() ?? string.Empty;
    }

    private static StringBuilder Append(StringBuilder? sb, string text)
    {
        if (sb is null)
        {
            return new StringBuilder(text);
        }

        return sb.Append("\n\n").Append(text);
    }

    private static GatewayException MissingToolResults(HashSet<string> ids, string path) =>
        GatewayException.Invalid(
            $"{path}: tool_use ids were found without tool_result blocks immediately after: {string.Join(", ", ids)}. Each tool_use block must have a corresponding tool_result block in the next message.",
            "messages");

    /// <summary>
    /// The tools DeepSeek is told about. DeepSeek has no deferred loading, so a tool declared with
    /// <c>defer_loading</c> is sent only once it is loaded: named by a <c>tool_reference</c> in a tool result (Claude
    /// Code's ToolSearch) or a <c>tool_addition</c> (a tool-set change), called in the conversation, or forced by
    /// <c>tool_choice</c>. Until then the model knows it by name only, as with Anthropic, and the prompt stays small.
    /// </summary>
    private static List<ChatTool> Declared(MessagesRequest request)
    {
        HashSet<string>? loaded = null;
        if (request.Tools.Any(t => t.Deferred))
        {
            loaded = new HashSet<string>(StringComparer.Ordinal);
            foreach (var block in request.Messages.SelectMany(m => m.Content))
            {
                switch (block)
                {
                    case ToolResultBlock result:
                        loaded.UnionWith(result.LoadedTools);
                        break;
                    case ToolAdditionBlock addition:
                        loaded.Add(addition.ToolName);
                        break;
                    case ToolUseBlock use:
                        loaded.Add(use.Name);
                        break;
                }
            }

            if (request.ToolChoice is { Kind: ToolChoiceKind.Tool, Name: { } forced })
            {
                loaded.Add(forced);
            }
        }

        return [.. request.Tools.Where(t => !t.Deferred || loaded!.Contains(t.Name)).Select(ToChatTool)];
    }

    private static ChatTool ToChatTool(ToolDefinition tool) => new()
    {
        Function = new ChatFunctionDefinition { Name = tool.Name, Description = tool.Description, Parameters = tool.InputSchema },
    };

    private static ChatToolChoice? TranslateToolChoice(MessagesRequest request) => request.ToolChoice?.Kind switch
    {
        null => null,
        ToolChoiceKind.None => request.Tools.Count == 0 ? null : new ChatToolChoice { Mode = "none" },
        ToolChoiceKind.Auto => request.Tools.Count == 0 ? null : new ChatToolChoice { Mode = "auto" },
        ToolChoiceKind.Any => new ChatToolChoice { Mode = "required" },
        _ => new ChatToolChoice { FunctionName = request.ToolChoice.Name },
    };

    /// <summary>Reduces a user id to DeepSeek's alphabet: runs of other characters become one underscore.</summary>
    internal static string? SanitizeUserId(string? userId)
    {
        if (string.IsNullOrEmpty(userId))
        {
            return null;
        }

        var sb = new StringBuilder(Math.Min(userId.Length, 512));
        foreach (var c in userId)
        {
            if (sb.Length == 512)
            {
                break;
            }

            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '_')
            {
                sb.Append('_');
            }
        }

        var result = sb.ToString().TrimEnd('_');
        return result.Length == 0 ? null : result;
    }
}
