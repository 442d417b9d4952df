using System.Text.Json.Serialization;

namespace Switchyard.Anthropic;

/// <summary><c>{"input_tokens": N}</c> from count_tokens.</summary>
/// <param name="InputTokens">The count.</param>
public sealed record TokenCountResponse([property: JsonPropertyName("input_tokens")] int InputTokens);
