namespace Switchyard.Compatibility;

public static partial class CompatibilityTables
{
    /// <summary>FIM completion clients (<c>/beta/completions</c>) on an OpenAI-format upstream.</summary>
    public static CompatibilityTable Completions { get; } = new(
        "completions→completions",
        "FIM completion (`/beta/completions`) → DeepSeek",
        [
            new(CompatibilityScope.Header, "authorization", Support.Translated, "`Bearer <key>`: checked by Switchyard, replaced by the provider's key."),
            new(CompatibilityScope.Header, "*", Support.Ignored, "Other headers are not forwarded upstream."),
            new(CompatibilityScope.Field, "model", Support.Honoured, "Resolved through the catalog; sent as the upstream's model id."),
            new(CompatibilityScope.Field, "prompt", Support.Honoured, "Required, a string."),
            new(CompatibilityScope.Field, "suffix", Support.Honoured, "A string; enables fill-in-the-middle."),
            new(CompatibilityScope.Field, "max_tokens", Support.Honoured, "A positive integer (DeepSeek's guide: at most 4K)."),
            new(CompatibilityScope.Field, "echo", Support.Honoured, "A boolean."),
            new(CompatibilityScope.Field, "logprobs", Support.Honoured, "An integer, 0–20."),
            new(CompatibilityScope.Field, "stop", Support.Honoured, "A string or at most 16 strings."),
            new(CompatibilityScope.Field, "stream", Support.Honoured, "Server-sent events relayed chunk by chunk."),
            new(CompatibilityScope.Field, "stream_options", Support.Honoured, "Only with `stream:true`."),
            new(CompatibilityScope.Field, "temperature", Support.Honoured, "0–2."),
            new(CompatibilityScope.Field, "top_p", Support.Honoured, "0–1."),
            new(CompatibilityScope.Field, "presence_penalty", Support.Honoured, "−2 to 2."),
            new(CompatibilityScope.Field, "frequency_penalty", Support.Honoured, "−2 to 2."),
            new(CompatibilityScope.Field, "user", Support.Ignored, "Dropped before sending."),
            new(CompatibilityScope.Field, "*", Support.Ignored, "DeepSeek's FIM API has no other fields: dropped before sending, so other clients' extras do not break requests."),
        ]);
}
