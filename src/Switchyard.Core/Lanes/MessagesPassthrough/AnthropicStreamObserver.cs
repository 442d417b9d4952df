using System.Buffers;
using System.Text.Json;
using Switchyard.Accounting;

namespace Switchyard.Lanes.MessagesPassthrough;

/// <summary>
/// Watches an Anthropic event stream as its bytes pass through unchanged, for the outcome: the usage of
/// <c>message_start</c> and <c>message_delta</c>, the stop reason, the first content and the end. Only the lines of
/// those events are buffered (content deltas are skipped as they pass), so memory stays bounded by one such line.
/// </summary>
public sealed class AnthropicStreamObserver
{
    private const int MaxLine = 1 << 20;

    private readonly ArrayBufferWriter<byte> _line = new(256);
    private string? _event;
    private LineState _state;

    private enum LineState
    {
        Undecided,
        Keep,
        Skip,
    }

    /// <summary>The usage reported so far (cumulative).</summary>
    public TokenUsage Usage { get; private set; }

    /// <summary>The stop reason, once <c>message_delta</c> said it.</summary>
    public string? StopReason { get; private set; }

    /// <summary>True once a <c>content_block_delta</c> passed.</summary>
    public bool SawContent { get; private set; }

    /// <summary>True once <c>message_stop</c> (or an <c>error</c> event) passed: what follows is the end of the stream.</summary>
    public bool Ended { get; private set; }

    /// <summary>The upstream's <c>error</c> event, when one passed.</summary>
    public Errors.GatewayException? Error { get; private set; }

    /// <summary>Feeds the next bytes of the stream.</summary>
    public void Observe(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var newline = bytes.IndexOf((byte)'\n');
            var part = newline < 0 ? bytes : bytes[..newline];
            if (_state != LineState.Skip)
            {
                if (_line.WrittenCount + part.Length > MaxLine)
                {
                    _state = LineState.Skip;
                }
                else
                {
                    _line.Write(part);
                    if (_state == LineState.Undecided)
                    {
                        Decide(newline >= 0);
                    }
                }
            }

            if (newline < 0)
            {
                return;
            }

            if (_state != LineState.Skip)
            {
                OnLine(_line.WrittenSpan.TrimEnd((byte)'\r'));
            }

            _line.Clear();
            _state = LineState.Undecided;
            bytes = bytes[(newline + 1)..];
        }
    }

    /// <summary>
    /// Decides from the line's start whether to keep it: <c>event:</c> lines and the <c>data:</c> lines of the events
    /// this observer reads are kept; content deltas are noted and skipped.
    /// </summary>
    private void Decide(bool complete)
    {
        var start = _line.WrittenSpan;
        if (start.StartsWith("event:"u8))
        {
            _state = LineState.Keep;
        }
        else if (start.StartsWith("data:"u8))
        {
            if (_event == "content_block_delta")
            {
                SawContent = true;
                _state = LineState.Skip;
            }
            else
            {
                _state = _event is null or "message_start" or "message_delta" or "message_stop" or "error" ? LineState.Keep : LineState.Skip;
            }
        }
        else if (complete || start.Length >= 6)
        {
            // A blank line ends the event; anything else (comments, unknown fields) is skipped.
            _state = start.IsEmpty || (start.Length == 1 && start[0] == (byte)'\r') ? LineState.Keep : LineState.Skip;
        }
    }

    private void OnLine(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty)
        {
            _event = null;
            return;
        }

        if (line.StartsWith("event:"u8))
        {
            _event = System.Text.Encoding.UTF8.GetString(line[6..].Trim((byte)' '));
            return;
        }

        if (!line.StartsWith("data:"u8))
        {
            return;
        }

        var data = line[5..].TrimStart((byte)' ');
        try
        {
            var reader = new Utf8JsonReader(data);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var type = _event ?? (root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null);
            switch (type)
            {
                case "message_start" when root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object &&
                                          message.TryGetProperty("usage", out var startUsage):
                    Usage = Usage.UpdateFromAnthropic(startUsage);
                    break;
                case "message_delta":
                    if (root.TryGetProperty("usage", out var usage))
                    {
                        Usage = Usage.UpdateFromAnthropic(usage);
                    }

                    if (root.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object &&
                        delta.TryGetProperty("stop_reason", out var stop) && stop.ValueKind == JsonValueKind.String)
                    {
                        StopReason = stop.GetString();
                    }

                    break;
                case "content_block_delta":
                    SawContent = true;
                    break;
                case "message_stop":
                    Ended = true;
                    break;
                case "error":
                    Ended = true;
                    Error = Errors.ErrorBodies.FromAnthropic(root);
                    break;
            }
        }
        catch (JsonException)
        {
            // Not ours to judge: the bytes pass through as they are.
        }
    }
}
