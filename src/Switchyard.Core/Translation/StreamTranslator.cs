using Switchyard.Accounting;
using Switchyard.Anthropic;
using Switchyard.Errors;
using Switchyard.OpenAI;

namespace Switchyard.Translation;

/// <summary>
/// The pure state machine that turns Chat Completions stream chunks into Messages API stream events.
/// Blocks get contiguous indices and never interleave: thinking, then text, then tool calls, each closed
/// before the next opens. A tool call whose fragments arrive while another call is still open is held back
/// and emitted when the open one completes, so parallel calls with interleaved fragments stay whole.
/// </summary>
/// <remarks>Not thread-safe: one instance per stream. Events are appended to the list passed to each call.</remarks>
public sealed class StreamTranslator
{
    private readonly TranslatedRequest _request;
    private readonly ResponseTranslator _responses;
    private readonly StopSequenceMatcher _stops;
    private readonly StreamedOutput _produced;
    private readonly ToolCallQueue _tools = new();
    private BlockKind _open;
    private int _nextIndex;
    private bool _started;
    private bool _pinged;
    private bool _completed;
    private string? _finishReason;
    private ChatUsage? _usage;

    /// <summary>Creates the state machine for one stream.</summary>
    /// <param name="request">The translated request (thinking mode, display, stop sequences).</param>
    /// <param name="responses">Signs thinking blocks.</param>
    /// <param name="messageId">The <c>msg_…</c> id of the message.</param>
    /// <param name="inputTokens">The input token count reported in <c>message_start</c> before the upstream's own.</param>
    /// <param name="countTokens">Counts output tokens when the upstream reports no usage (a stop sequence ended it).</param>
    public StreamTranslator(TranslatedRequest request, ResponseTranslator responses, string messageId, int inputTokens, Func<string, int>? countTokens = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responses);
        ArgumentNullException.ThrowIfNull(messageId);
        _request = request;
        _responses = responses;
        _produced = new StreamedOutput(countTokens ?? (text => (text.Length + 3) / 4));
        _stops = new StopSequenceMatcher(request.StopSequences);
        MessageId = messageId;
        InputTokens = inputTokens;
    }

    private enum BlockKind
    {
        None,
        Thinking,
        Text,
        Tool,
    }

    /// <summary>The message id.</summary>
    public string MessageId { get; }

    /// <summary>The input tokens reported in <c>message_start</c>.</summary>
    public int InputTokens { get; }

    /// <summary>True once a stop sequence matched: the caller should stop reading and cancel the upstream.</summary>
    public bool StopSequenceMatched => _stops.Matched is not null;

    /// <summary>True once the upstream sent its finish reason.</summary>
    public bool Finished => _finishReason is not null;

    /// <summary>The final usage, once known.</summary>
    public MessageUsage? FinalUsage { get; private set; }

    /// <summary>The upstream's own usage, when it sent one.</summary>
    public ChatUsage? UpstreamUsage => _usage;

    /// <summary>The reasoning the upstream produced so far.</summary>
    public string Reasoning => _produced.Reasoning;

    /// <summary>The ids of the tool calls the upstream made so far.</summary>
    public IEnumerable<string> ToolCallIds => _tools.All.Select(t => t.Id);

    /// <summary>
    /// True when the upstream stopped before a proper end: no finish reason yet, or DeepSeek's
    /// <c>insufficient_system_resource</c> (it ran out of resources mid-generation).
    /// </summary>
    public bool Interrupted =>
        !_completed && !StopSequenceMatched && (_finishReason is null || _finishReason == "insufficient_system_resource");

    /// <summary>
    /// Prepares to continue an interrupted message with another upstream stream: returns the reasoning and text the
    /// upstream produced so far (the assistant prefix to send), or false with the reason when the message cannot be
    /// continued (a tool call was started: its JSON cannot be resumed). Chunks of the continuation are then fed to
    /// <see cref="Process"/> as before: same message, same open block. The prefix's tokens (DeepSeek's tokenizer) are
    /// counted as output and taken out of the continuation's reported input.
    /// </summary>
    public bool TryBeginContinuation(out string reasoning, out string text, out string? obstacle)
    {
        reasoning = _produced.Reasoning;
        text = _produced.Text;
        obstacle = null;
        if (!Interrupted)
        {
            obstacle = "the message is complete";
            return false;
        }

        if (_tools.Count > 0)
        {
            obstacle = "a tool call was cut, and a tool call's arguments cannot be resumed";
            return false;
        }

        if (_request.WarmOnly)
        {
            obstacle = "a cache-warming request has no output to continue";
            return false;
        }

        _produced.BeginContinuation();
        _finishReason = null;
        _usage = null;
        return true;
    }

    /// <summary>Emits <c>message_start</c>. Called once, when the upstream accepted the request.</summary>
    public void Start(List<StreamEvent> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_started)
        {
            return;
        }

        _started = true;
        output.Add(new MessageStartEvent(new MessageResponse
        {
            Id = MessageId,
            Model = _request.Model.Model.Id,
            Content = [],
            Usage = new MessageUsage { InputTokens = InputTokens, OutputTokens = 1 },
        }));
    }

    /// <summary>Translates one upstream chunk.</summary>
    public void Process(ChatCompletionChunk chunk, List<StreamEvent> output)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        ArgumentNullException.ThrowIfNull(output);
        Start(output);
        if (chunk.Usage is not null)
        {
            _usage = chunk.Usage;
        }

        if (StopSequenceMatched || chunk.Choices is null)
        {
            return;
        }

        foreach (var choice in chunk.Choices)
        {
            if (choice.Index != 0)
            {
                continue;
            }

            if (choice.Delta is { } delta)
            {
                if (!string.IsNullOrEmpty(delta.ReasoningContent))
                {
                    OnReasoning(delta.ReasoningContent, output);
                }

                if (!string.IsNullOrEmpty(delta.Content))
                {
                    OnText(delta.Content, output);
                }

                if (delta.ToolCalls is { } toolCalls)
                {
                    foreach (var call in toolCalls)
                    {
                        OnToolCall(call, output);
                    }
                }
            }

            if (choice.FinishReason is not null)
            {
                _finishReason = choice.FinishReason;
            }
        }
    }

    /// <summary>
    /// Ends the message after the upstream's last chunk (or a stop sequence): closes open blocks and emits
    /// <c>message_delta</c> and <c>message_stop</c>.
    /// </summary>
    /// <exception cref="GatewayException">The upstream ended without finishing, or reported an interrupted generation.</exception>
    public void Complete(List<StreamEvent> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_completed)
        {
            return;
        }

        Start(output);
        string stopReason;
        if (StopSequenceMatched)
        {
            stopReason = "stop_sequence";
        }
        else if (_finishReason is null)
        {
            throw new GatewayException(GatewayErrorKind.Api, "The upstream stream ended before the response was complete.");
        }
        else
        {
            stopReason = StopReasons.FromFinishReason(_finishReason, _tools.Count > 0);
        }

        _completed = true;
        FlushHeldText(output);
        CloseOpenBlock(output);
        foreach (var tool in _tools.All)
        {
            if (!tool.Emitted)
            {
                OpenTool(tool, output);
                CloseOpenBlock(output);
            }
        }

        if (_request.WarmOnly)
        {
            stopReason = "max_tokens";
        }

        FinalUsage = _usage is not null && !StopSequenceMatched
            ? _produced.WithPrefix(TokenUsage.FromChat(_usage).ToAnthropic())
            : _produced.Estimate(_tools.All, _usage, InputTokens);
        output.Add(new MessageDeltaEvent(new MessageDelta(stopReason, _stops.Matched), FinalUsage));
        output.Add(MessageStopEvent.Instance);
    }

    private void OnReasoning(string fragment, List<StreamEvent> output)
    {
        // Reasoning the client did not ask for (thinking off) is not shown.
        if (!_request.Thinking || _request.WarmOnly)
        {
            return;
        }

        if (_open != BlockKind.Thinking)
        {
            CloseOpenBlock(output);
            Open(BlockKind.Thinking, new ThinkingContent { Thinking = string.Empty, Signature = string.Empty }, output);
        }

        _produced.AddReasoning(fragment);
        if (!_request.DisplayOmitted)
        {
            output.Add(new ContentBlockDeltaEvent(_nextIndex - 1, new ThinkingDelta(fragment)));
        }
    }

    private void OnText(string fragment, List<StreamEvent> output)
    {
        if (_request.WarmOnly)
        {
            return;
        }

        _produced.AddText(fragment);
        var safe = _stops.Push(fragment);
        if (safe.Length > 0)
        {
            EmitText(safe, output);
        }
    }

    private void EmitText(string text, List<StreamEvent> output)
    {
        if (_open != BlockKind.Text)
        {
            CloseOpenBlock(output);
            Open(BlockKind.Text, new TextContent { Text = string.Empty }, output);
        }

        _produced.MarkEmitted(text.Length);
        output.Add(new ContentBlockDeltaEvent(_nextIndex - 1, new TextDelta(text)));
    }

    private void OnToolCall(ChatToolCallDelta call, List<StreamEvent> output)
    {
        if (_request.WarmOnly)
        {
            return;
        }

        var tool = _tools.Track(call, out var added);
        if (added)
        {
            FlushHeldText(output);
        }

        if (call.Function?.Arguments is { Length: > 0 } fragment)
        {
            tool.Arguments.Append(fragment);
            tool.Json.Append(fragment);
            if (ReferenceEquals(tool, _tools.Live))
            {
                output.Add(new ContentBlockDeltaEvent(_nextIndex - 1, new InputJsonDelta(fragment)));
            }
        }

        AdvanceTools(output);
    }

    /// <summary>Keeps exactly one tool block live; opens the next call once the live one's JSON is complete.</summary>
    private void AdvanceTools(List<StreamEvent> output)
    {
        while (_tools.NextToOpen() is { } next)
        {
            if (_tools.Live is null && _open != BlockKind.None)
            {
                CloseOpenBlock(output);
            }

            OpenTool(next, output);
        }
    }

    private void OpenTool(ToolCallState tool, List<StreamEvent> output)
    {
        CloseOpenBlock(output);
        tool.Emitted = true;
        _tools.Live = tool;
        Open(BlockKind.Tool, new ToolUseContent { Id = tool.Id, Name = tool.Name, Input = EmptyObject.Value }, output);
        if (tool.Arguments.Length > 0)
        {
            output.Add(new ContentBlockDeltaEvent(_nextIndex - 1, new InputJsonDelta(tool.Arguments.ToString())));
        }
    }

    private void Open(BlockKind kind, ResponseBlock block, List<StreamEvent> output)
    {
        _open = kind;
        output.Add(new ContentBlockStartEvent(_nextIndex++, block));
        if (!_pinged)
        {
            _pinged = true;
            output.Add(PingEvent.Instance);
        }
    }

    private void CloseOpenBlock(List<StreamEvent> output)
    {
        var index = _nextIndex - 1;
        switch (_open)
        {
            case BlockKind.None:
                return;
            case BlockKind.Thinking:
                output.Add(new ContentBlockDeltaEvent(index, new SignatureDelta(_responses.Thinking(_produced.Reasoning, _request.DisplayOmitted).Signature)));
                break;
            case BlockKind.Text:
                break;
            case BlockKind.Tool:
                // A call cut short (max_tokens) still has to concatenate to one valid JSON object.
                var live = _tools.Live!;
                var arguments = live.Arguments.ToString();
                if (arguments.Length > 0 && !live.Json.IsComplete)
                {
                    var repaired = ToolArguments.Repair(arguments);
                    if (repaired.Length > arguments.Length && repaired.StartsWith(arguments, StringComparison.Ordinal))
                    {
                        output.Add(new ContentBlockDeltaEvent(index, new InputJsonDelta(repaired[arguments.Length..])));
                    }
                }

                _tools.Live = null;
                break;
        }

        output.Add(new ContentBlockStopEvent(index));
        _open = BlockKind.None;
    }

    private void FlushHeldText(List<StreamEvent> output)
    {
        var rest = _stops.Flush();
        if (rest.Length > 0)
        {
            EmitText(rest, output);
        }
    }
}
