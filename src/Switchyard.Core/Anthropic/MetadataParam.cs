using System.Text.Json.Serialization;

namespace Switchyard.Anthropic;

/// <summary><c>metadata</c>.</summary>
/// <param name="UserId">An opaque id of the end user.</param>
public sealed record MetadataParam([property: JsonPropertyName("user_id")] string UserId);
