using System.Text.Encodings.Web;

namespace Switchyard.Lanes.Relay;

/// <summary>The one JSON output setup for what Switchyard writes to clients.</summary>
public static class JsonOutput
{
    /// <summary>
    /// Relaxed escaping keeps non-ASCII text (CJK, emoji) readable and small; the output is JSON for API clients,
    /// never embedded in HTML.
    /// </summary>
    public static JavaScriptEncoder Encoder { get; } = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
}
