namespace Switchyard.Compatibility;

public static partial class CompatibilityTables
{
    /// <summary>Anthropic clients served by an Anthropic-format upstream: the passthrough lane.</summary>
    public static CompatibilityTable MessagesPassthrough { get; } = new(
        "messages→messages",
        "Anthropic clients → Anthropic-format upstreams (passthrough)",
        [
            new(CompatibilityScope.Header, "x-api-key", Support.Translated, "The client's key is checked by Switchyard and replaced by the provider's key; it never reaches the upstream."),
            new(CompatibilityScope.Header, "authorization", Support.Translated, "Same as `x-api-key`."),
            new(CompatibilityScope.Header, "anthropic-version", Support.Honoured, "Forwarded as sent (`2023-06-01` when absent)."),
            new(CompatibilityScope.Header, "anthropic-beta", Support.Honoured, "Forwarded as sent."),
            new(CompatibilityScope.Header, "anthropic-user-profile-id", Support.Honoured, "Forwarded as sent."),
            new(CompatibilityScope.Header, "*", Support.Ignored, "Other client headers are not forwarded."),
            new(CompatibilityScope.Field, "model", Support.Translated, "Resolved through the catalog; rewritten to the entry's `UpstreamId` when it has one. The response names the upstream's model."),
            new(CompatibilityScope.Field, "*", Support.Honoured, "Every other field is forwarded byte for byte: thinking signatures, `cache_control`, images, documents, MCP and server-tool blocks survive."),
            new(CompatibilityScope.Block, "*", Support.Honoured, "Forwarded byte for byte."),
            new(CompatibilityScope.Tool, "*", Support.Honoured, "Forwarded byte for byte."),
        ]);
}
