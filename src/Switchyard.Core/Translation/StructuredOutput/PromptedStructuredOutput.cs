using System.Text;
using System.Text.Json;
using Switchyard.OpenAI;

namespace Switchyard.Translation.StructuredOutput;

/// <summary>
/// The plain way: JSON mode, with the schema in a system instruction after the leading system messages (so the
/// conversation's prefix, and DeepSeek's cache of it, stays the same from turn to turn). The answer is not validated
/// against the schema; <see cref="Method"/> says so in the response header.
/// </summary>
public sealed class PromptedStructuredOutput : IStructuredOutput
{
    /// <summary>The header value: the schema was given to the model, JSON mode enforced the syntax.</summary>
    public const string Method = "prompted";

    /// <inheritdoc />
    public StructuredOutputPlan Apply(ChatCompletionRequest request, JsonSchemaFormat format)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(format);
        var instruction = new StringBuilder()
            .Append("Answer with one JSON object only, no other text. It must conform to this JSON Schema (\"")
            .Append(format.Name).Append('"');
        if (!string.IsNullOrEmpty(format.Description))
        {
            instruction.Append(": ").Append(format.Description);
        }

        instruction.Append("):\n").Append(JsonSerializer.Serialize(format.Schema, OpenAIJsonContext.Default.JsonElement));
        var messages = request.Messages.ToList();
        var at = messages.TakeWhile(m => m.Role == "system").Count();
        messages.Insert(at, new ChatMessage { Role = "system", Content = instruction.ToString() });
        return new StructuredOutputPlan(request with { Messages = messages, ResponseFormat = ChatResponseFormat.JsonObject }, Method);
    }
}
