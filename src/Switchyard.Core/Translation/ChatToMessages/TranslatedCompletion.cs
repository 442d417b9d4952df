using Switchyard.Accounting;

namespace Switchyard.Translation.ChatToMessages;

/// <summary>A Messages answer translated into a Chat Completions completion, with what the outcome needs.</summary>
/// <param name="Body">The completion (UTF-8 JSON).</param>
/// <param name="Usage">The usage it reports.</param>
/// <param name="FinishReason">Its <c>finish_reason</c>.</param>
public sealed record TranslatedCompletion(byte[] Body, TokenUsage Usage, string FinishReason);
