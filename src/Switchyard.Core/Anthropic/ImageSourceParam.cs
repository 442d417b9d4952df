using System.Text.Json.Serialization;

namespace Switchyard.Anthropic;

/// <summary>The <c>source</c> of an <see cref="ImageBlockParam"/>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(Base64ImageSource), "base64")]
[JsonDerivedType(typeof(UrlImageSource), "url")]
public abstract record ImageSourceParam;

/// <summary>Inline image data.</summary>
/// <param name="MediaType"><c>image/jpeg</c>, <c>image/png</c>, <c>image/gif</c> or <c>image/webp</c>.</param>
/// <param name="Data">The base64-encoded bytes.</param>
public sealed record Base64ImageSource(
    [property: JsonPropertyName("media_type")] string MediaType,
    [property: JsonPropertyName("data")] string Data) : ImageSourceParam;

/// <summary>An image the upstream fetches.</summary>
/// <param name="Url">An http(s) URL.</param>
public sealed record UrlImageSource([property: JsonPropertyName("url")] string Url) : ImageSourceParam;
