using Switchyard.OpenAI;

namespace Switchyard.Translation.StructuredOutput;

/// <summary>
/// A structured-output answer, checked: the completion rewritten so its message <c>content</c> is the JSON (no tool
/// call), with the usage of every upstream call made for it (the repair included), and how it went.
/// </summary>
/// <param name="Completion">The completion to answer with.</param>
/// <param name="Attempts">Upstream calls made (1, or 2 after a repair).</param>
/// <param name="Problems">What was still wrong after the repair (empty when the JSON matches the schema).</param>
public sealed record StructuredAnswer(ChatCompletion Completion, int Attempts, IReadOnlyList<string> Problems)
{
    /// <summary>Whether the JSON matches the schema.</summary>
    public bool Valid => Problems.Count == 0;
}
