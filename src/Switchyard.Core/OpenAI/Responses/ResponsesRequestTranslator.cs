using System.Text;
using System.Text.Json;
using Switchyard.Errors;
using Switchyard.Memory;
using Switchyard.Models;
using Switchyard.Translation;
using Switchyard.Translation.StructuredOutput;

namespace Switchyard.OpenAI.Responses;

/// <summary>
/// Translates a Responses request (and the stored conversation it continues) into a Chat Completions request for a
/// DeepSeek-format upstream. Items become messages: assistant text, reasoning and function calls that follow each
/// other form one assistant turn, whose <c>reasoning_content</c> DeepSeek V4 needs back on tool-call turns; it comes
/// from the turn's reasoning item (sealed or as text), else from the reasoning memory, else is empty.
/// </summary>
public sealed class ResponsesRequestTranslator
{
    private static readonly JsonElement EmptyParameters = JsonElement.Parse("""{"type":"object","properties":{}}""");
    private readonly ReasoningSeal _seal;
    private readonly IReasoningMemory _memory;
    private readonly TranslationOptions _options;

    /// <summary>Creates the translator.</summary>
    public ResponsesRequestTranslator(ReasoningSeal seal, IReasoningMemory memory, TranslationOptions options)
    {
        ArgumentNullException.ThrowIfNull(seal);
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(options);
        _seal = seal;
        _memory = memory;
        _options = options;
    }

    /// <summary>
    /// Translates <paramref name="request"/> for <paramref name="model"/> on a DeepSeek-format upstream;
    /// <paramref name="history"/> is the stored conversation of <c>previous_response_id</c> (empty without one). A
    /// <c>json_schema</c> format is asked as the shared <see cref="StructuredOutputPlanner"/> plans it (strict function
    /// calling only when <paramref name="strictAvailable"/>: the provider has DeepSeek's <c>/beta</c>).
    /// </summary>
    /// <exception cref="GatewayException">The request cannot be served (400).</exception>
    public TranslatedResponsesRequest Translate(ResponsesRequest request, IReadOnlyList<ResponseItem> history, ModelResolution model, bool strictAvailable = false) =>
        Build(request, history, model, forMessages: false, strictAvailable);

    /// <summary>
    /// Translates <paramref name="request"/> into the Chat request that the shared Chat → Messages translation turns
    /// into an Anthropic Messages request. Thinking is left to that translation's policy (<c>reasoning_effort</c> as the
    /// client gave it, <c>none</c> as thinking disabled); assistant turns carry the reasoning text their items hold (by
    /// which, or by the turn's call ids, that translation finds the signed thinking block to replay; the reasoning
    /// memory fill and DeepSeek's empty reasoning do not apply); <c>json_schema</c> goes as a <c>json_schema</c>
    /// response format, which Anthropic serves natively.
    /// </summary>
    /// <exception cref="GatewayException">The request cannot be served (400).</exception>
    public TranslatedResponsesRequest TranslateForMessages(ResponsesRequest request, IReadOnlyList<ResponseItem> history, ModelResolution model) =>
        Build(request, history, model, forMessages: true, strictAvailable: false);

    private TranslatedResponsesRequest Build(ResponsesRequest request, IReadOnlyList<ResponseItem> history, ModelResolution model, bool forMessages, bool strictAvailable)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(model);
        var wantsThinking = request.ReasoningEffort switch
        {
            "none" => false,
            null => !forMessages && (model.DefaultThinking ?? true),
            _ => true,
        };
        var tools = request.ToolChoice.Allowed is { } allowed
            ? request.Tools.Where(t => allowed.Contains(t.UpstreamName)).ToList()
            : request.Tools;
        var forced = tools.Count > 0 && request.ToolChoice.IsForced;
        var structured = !forMessages && request.TextFormat.Schema is { } format
            ? StructuredOutputPlanner.Plan(new OutputSchema(format.Name, format.Schema, format.Description), tools.Count > 0, strictAvailable)
            : null;
        // On an Anthropic-format upstream the Chat → Messages translation turns thinking off for forced calls itself.
        var fallback = forMessages || !wantsThinking ? ThinkingFallback.None
            : forced ? ThinkingFallback.ForcedToolChoice
            : structured is { DisablesThinking: true } ? ThinkingFallback.StructuredOutput
            : ThinkingFallback.None;
        var thinking = wantsThinking && fallback == ThinkingFallback.None;
        if (request.MaxOutputTokens > model.Model.MaxOutputTokens)
        {
            throw GatewayException.Invalid(
                $"max_output_tokens: {request.MaxOutputTokens} > {model.Model.MaxOutputTokens}, which is the maximum allowed number of output tokens for {model.Model.Id}",
                "max_output_tokens");
        }

        var conversation = new ConversationBuilder(this, forMessages ? ReasoningReplay.AsGiven : thinking ? ReasoningReplay.DeepSeek : ReasoningReplay.None);
        if (structured is { Mode: StructuredOutputMode.JsonMode })
        {
            conversation.AddSystem(structured.Instruction);
        }

        if (!string.IsNullOrEmpty(request.Instructions))
        {
            conversation.AddSystem(request.Instructions);
        }

        for (var i = 0; i < history.Count; i++)
        {
            conversation.Add(history[i], $"previous_response_id (item {i})");
        }

        for (var i = 0; i < request.Input.Count; i++)
        {
            conversation.Add(request.Input[i], $"input[{i}]");
        }

        var messages = conversation.Finish();
        var chat = new ChatCompletionRequest
        {
            Model = model.UpstreamModel,
            Messages = messages,
            Thinking = forMessages
                ? request.ReasoningEffort == "none" ? ChatThinking.Disabled : null
                : thinking ? ChatThinking.Enabled : ChatThinking.Disabled,
            ReasoningEffort = forMessages
                ? request.ReasoningEffort is null or "none" ? null : request.ReasoningEffort
                : thinking ? Effort(request.ReasoningEffort) : null,
            MaxTokens = request.MaxOutputTokens,
            Temperature = request.Temperature,
            TopP = request.TopP,
            Tools = tools.Count == 0 ? null : [.. tools.Select(ToChatTool)],
            ToolChoice = tools.Count == 0 ? null : ToolChoice(request.ToolChoice),
            ParallelToolCalls = forMessages && tools.Count > 0 && !request.ParallelToolCalls ? false : null,
            UserId = RequestTranslator.SanitizeUserId(request.SafetyIdentifier ?? request.User),
            ResponseFormat = request.TextFormat.Kind == ResponsesTextFormatKind.JsonObject ? ChatResponseFormat.JsonObject : null,
        };
        if (forMessages && request.TextFormat.Schema is { } schema)
        {
            chat = chat with { ResponseFormat = new ChatResponseFormat("json_schema", schema) };
        }
        else if (structured is not null)
        {
            chat = structured.Mode == StructuredOutputMode.JsonMode
                ? chat with { ResponseFormat = ChatResponseFormat.JsonObject }
                : chat with { Tools = [StructuredTool(structured)], ToolChoice = new ChatToolChoice { FunctionName = StructuredOutputPlan.ToolName } };
        }

        return new TranslatedResponsesRequest
        {
            Chat = chat,
            Model = model,
            Request = request,
            Thinking = thinking,
            ThinkingFallback = fallback,
            Tools = tools.ToDictionary(t => t.UpstreamName, StringComparer.Ordinal),
            RestoredReasoning = conversation.Restored,
            StructuredOutput = structured,
        };
    }

    /// <summary>The forced function of a structured-output plan: its parameters are the schema (reduced, when strict).</summary>
    private static ChatTool StructuredTool(StructuredOutputPlan plan) => new()
    {
        Function = new ChatFunctionDefinition
        {
            Name = StructuredOutputPlan.ToolName,
            Description = plan.ToolDescription,
            Parameters = plan.Parameters,
            Strict = plan.Mode == StructuredOutputMode.StrictTool ? true : null,
        },
    };

    /// <summary>The reasoning a reasoning item carries: its seal when Switchyard made it, else its text.</summary>
    public string ReasoningOf(ReasoningItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.EncryptedContent is { } sealedText && _seal.TryOpen(sealedText, out var opened))
        {
            return opened;
        }

        var parts = item.Content is { Count: > 0 } content ? content : item.Summary;
        return string.Concat(parts.Select(p => p switch
        {
            ReasoningTextPart text => text.Text,
            SummaryTextPart summary => summary.Text,
            _ => string.Empty,
        }));
    }

    /// <summary>Responses' effort → DeepSeek's <c>reasoning_effort</c> (minimal counts as low); null leaves DeepSeek's default.</summary>
    private string? Effort(string? effort) =>
        effort is null ? null : _options.EffortMap.TryGetValue(effort == "minimal" ? "low" : effort, out var mapped) ? mapped : null;

    private static ChatTool ToChatTool(ResponsesTool tool) => new()
    {
        Function = tool.Kind == ResponsesToolKind.Function
            ? new ChatFunctionDefinition { Name = tool.UpstreamName, Description = tool.Description, Parameters = tool.Parameters ?? EmptyParameters }
            : new ChatFunctionDefinition { Name = tool.UpstreamName, Description = CustomToolInput.Describe(tool), Parameters = CustomToolInput.Schema },
    };

    private static ChatToolChoice ToolChoice(ResponsesToolChoice choice) =>
        choice.Forced is { } name ? new ChatToolChoice { FunctionName = name } : new ChatToolChoice { Mode = choice.Mode };

    /// <summary>Text of a tool output: a string, or its text parts joined.</summary>
    private static string OutputText(JsonElement output) => output.ValueKind == JsonValueKind.String
        ? output.GetString()!
        : string.Join("\n\n", output.EnumerateArray()
            .Where(p => p.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            .Select(p => p.GetProperty("text").GetString()));

    private static string TextOf(IEnumerable<ResponseContentPart> parts) => string.Join("\n\n", parts.Select(p => p switch
    {
        InputTextPart input => input.Text,
        OutputTextPart output => output.Text,
        RefusalPart refusal => refusal.Refusal,
        _ => string.Empty,
    }));

    /// <summary>Which reasoning the assistant turns carry upstream.</summary>
    private enum ReasoningReplay
    {
        /// <summary>None (thinking off on DeepSeek: it ignores replayed reasoning).</summary>
        None,

        /// <summary>DeepSeek V4's rule: every tool-call turn has it, from its items, else the reasoning memory, else "".</summary>
        DeepSeek,

        /// <summary>The text the turn's reasoning items hold, when they hold any.</summary>
        AsGiven,
    }

    /// <summary>Walks the items in order and builds the Chat messages.</summary>
    private sealed class ConversationBuilder(ResponsesRequestTranslator owner, ReasoningReplay replay)
    {
        private readonly List<ChatMessage> _messages = [];
        private readonly HashSet<string> _openCalls = new(StringComparer.Ordinal);
        private readonly List<ChatMessage> _deferred = [];
        private StringBuilder? _reasoning;
        private StringBuilder? _text;
        private List<ChatToolCall>? _calls;
        private bool _inTurn;

        public int Restored { get; private set; }

        public void AddSystem(string text) => _messages.Add(new ChatMessage { Role = "system", Content = text });

        public void Add(ResponseItem item, string path)
        {
            switch (item)
            {
                case ReasoningItem reasoning:
                    if (_text is not null || _calls is not null)
                    {
                        EndTurn();
                    }

                    _inTurn = true;
                    (_reasoning ??= new StringBuilder()).Append(owner.ReasoningOf(reasoning));
                    break;
                case MessageItem { Role: "assistant" } message:
                    _inTurn = true;
                    var text = TextOf(message.Content);
                    _text = _text is null ? new StringBuilder(text) : _text.Append("\n\n").Append(text);
                    break;
                case FunctionCallItem call:
                    AddCall(call.CallId, call.Namespace is null ? call.Name : call.Namespace + "__" + call.Name, call.Arguments);
                    break;
                case CustomToolCallItem custom:
                    AddCall(custom.CallId, custom.Namespace is null ? custom.Name : custom.Namespace + "__" + custom.Name, CustomToolInput.Arguments(custom.Input));
                    break;
                case FunctionCallOutputItem output:
                    AddOutput(output.CallId, OutputText(output.Output), path);
                    break;
                case CustomToolCallOutputItem output:
                    AddOutput(output.CallId, OutputText(output.Output), path);
                    break;
                case MessageItem message:
                    EndTurn();
                    var chat = new ChatMessage { Role = message.Role == "user" ? "user" : "system", Content = TextOf(message.Content) };
                    if (_openCalls.Count > 0)
                    {
                        // Nothing may stand between tool calls and their results upstream.
                        _deferred.Add(chat);
                    }
                    else
                    {
                        _messages.Add(chat);
                    }

                    break;
            }
        }

        public List<ChatMessage> Finish()
        {
            EndTurn();
            if (_openCalls.Count > 0)
            {
                throw GatewayException.Invalid(
                    $"input: no function_call_output was found for the call(s) {string.Join(", ", _openCalls)}; every function_call needs its output before the conversation goes on",
                    "input");
            }

            _messages.AddRange(_deferred);
            return _messages.Count > 0 ? _messages : throw GatewayException.Invalid("input: the conversation is empty", "input");
        }

        private void AddCall(string callId, string upstreamName, string arguments)
        {
            _inTurn = true;
            (_calls ??= []).Add(new ChatToolCall { Id = callId, Function = new ChatFunctionCall { Name = upstreamName, Arguments = arguments } });
            _openCalls.Add(callId);
        }

        private void AddOutput(string callId, string text, string path)
        {
            EndTurn();
            if (!_openCalls.Remove(callId))
            {
                throw GatewayException.Invalid(
                    $"{path}: no earlier function_call has the call_id '{callId}' (or its output was already given)", path + ".call_id");
            }

            _messages.Add(new ChatMessage { Role = "tool", ToolCallId = callId, Content = text });
            if (_openCalls.Count == 0)
            {
                _messages.AddRange(_deferred);
                _deferred.Clear();
            }
        }

        private void EndTurn()
        {
            if (!_inTurn)
            {
                return;
            }

            string? reasoning = replay == ReasoningReplay.AsGiven && _reasoning is { Length: > 0 } given ? given.ToString() : null;
            if (replay == ReasoningReplay.DeepSeek && _calls is not null)
            {
                reasoning = _reasoning?.ToString();
                if (string.IsNullOrEmpty(reasoning))
                {
                    // DeepSeek V4 answers 400 when a tool-call turn lacks reasoning_content in thinking mode.
                    if (owner._memory.TryRecall(ReasoningKeys.ForToolCalls(_calls.Select(c => c.Id)), out var entry))
                    {
                        reasoning = entry.Reasoning;
                        Restored++;
                    }
                    else
                    {
                        reasoning = string.Empty;
                    }
                }
            }

            if (_text is not null || _calls is not null)
            {
                _messages.Add(new ChatMessage
                {
                    Role = "assistant",
                    Content = _text?.ToString() ?? (_calls is null ? string.Empty : null),
                    ReasoningContent = reasoning,
                    ToolCalls = _calls,
                });
            }

            _reasoning = null;
            _text = null;
            _calls = null;
            _inTurn = false;
        }
    }
}
