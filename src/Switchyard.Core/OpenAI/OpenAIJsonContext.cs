using System.Text.Json.Serialization;

namespace Switchyard.OpenAI;

/// <summary>Source-generated serializers for the Chat Completions wire types.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(ChatCompletion))]
[JsonSerializable(typeof(ChatCompletionChunk))]
[JsonSerializable(typeof(ChatUsage))]
[JsonSerializable(typeof(ChatErrorBody))]
[JsonSerializable(typeof(ChatTool))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
[JsonSerializable(typeof(OpenAIModelList))]
[JsonSerializable(typeof(OpenAIModel))]
public sealed partial class OpenAIJsonContext : JsonSerializerContext;
