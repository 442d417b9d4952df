using System.Text.Json;
using Switchyard.Accounting;

namespace Switchyard.Lanes.MessagesPassthrough;

/// <summary>Reads the usage and stop reason of a Messages JSON answer that passes through unchanged.</summary>
internal readonly struct AnthropicMessageObserver
{
    public AnthropicMessageObserver(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            if (root.TryGetProperty("usage", out var usage))
            {
                Usage = default(TokenUsage).UpdateFromAnthropic(usage);
            }

            if (root.TryGetProperty("stop_reason", out var stop) && stop.ValueKind == JsonValueKind.String)
            {
                StopReason = stop.GetString();
            }
        }
        catch (JsonException)
        {
            // Relayed as it is; the outcome just has no usage.
        }
    }

    public TokenUsage? Usage { get; }

    public string? StopReason { get; }
}
