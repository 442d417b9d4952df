namespace Switchyard.Memory;

/// <summary>Reasoning text and, for Anthropic thinking blocks, its signature.</summary>
/// <param name="Reasoning">The reasoning text.</param>
/// <param name="Signature">The thinking block's signature, when the reasoning came from an Anthropic-format upstream.</param>
public sealed record ReasoningEntry(string Reasoning, string? Signature = null);
