using Switchyard.OpenAI;

namespace Switchyard.Tokenization;

/// <summary>Counts tokens the way the upstream will.</summary>
public interface ITokenCounter
{
    /// <summary>Input tokens of a request as the upstream renders it (chat template included).</summary>
    int CountPrompt(ChatCompletionRequest request);

    /// <summary>Tokens of plain generated text.</summary>
    int CountText(string text);
}
