using System.Text.Json.Serialization;

namespace Switchyard.Anthropic;

/// <summary>One turn of <see cref="MessageCreateParams.Messages"/>.</summary>
/// <param name="Role"><c>user</c>, <c>assistant</c> or <c>system</c> (a mid-conversation instruction).</param>
/// <param name="Content">The turn's blocks, in order.</param>
public sealed record MessageParam(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("content")] IReadOnlyList<ContentBlockParam> Content);
