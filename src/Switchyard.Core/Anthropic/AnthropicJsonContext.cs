using System.Text.Json.Serialization;

namespace Switchyard.Anthropic;

/// <summary>Source-generated serializers for the Messages API wire types Switchyard writes (responses and events to clients, requests to Anthropic-format upstreams).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(MessageResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(TokenCountResponse))]
[JsonSerializable(typeof(StreamEvent))]
[JsonSerializable(typeof(ModelInfo))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(MessageCreateParams))]
[JsonSerializable(typeof(IReadOnlyList<ContentBlockParam>))]
public sealed partial class AnthropicJsonContext : JsonSerializerContext;
