using System.Text.Json.Serialization;

namespace Switchyard.OpenAI.Responses;

/// <summary>Source-generated serializers for the Responses API wire types.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(ResponseObject))]
[JsonSerializable(typeof(ResponseStreamEvent))]
[JsonSerializable(typeof(ResponseDeleted))]
[JsonSerializable(typeof(ResponseItemList))]
[JsonSerializable(typeof(IReadOnlyList<ResponseItem>))]
public sealed partial class ResponsesJsonContext : JsonSerializerContext;
