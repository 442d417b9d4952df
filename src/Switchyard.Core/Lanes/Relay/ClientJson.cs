using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Switchyard.Lanes.Relay;

/// <summary>Writes a whole JSON answer to the client, straight into the response's pipe.</summary>
public static class ClientJson
{
    /// <summary>Serializes <paramref name="value"/> as the response body with <paramref name="status"/>.</summary>
    public static async ValueTask WriteAsync<T>(IClientResponse response, int status, T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(typeInfo);
        response.Start(status, "application/json", stream: false);
        await using (var writer = new Utf8JsonWriter(response.Writer, new JsonWriterOptions { Encoder = JsonOutput.Encoder }))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        await response.Writer.FlushAsync(cancellationToken);
    }

    /// <summary>Writes <paramref name="json"/> (already serialized) as the response body with <paramref name="status"/>.</summary>
    public static async ValueTask WriteAsync(IClientResponse response, int status, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Start(status, "application/json", stream: false);
        await response.Writer.WriteAsync(json, cancellationToken);
    }
}
