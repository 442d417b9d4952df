using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchyard.Tests.Fakes;

/// <summary>One request as received by <see cref="FakeDeepSeek"/> (recorded before auth/validation).</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path, e.g. <c>/chat/completions</c>.</param>
/// <param name="Query">Raw query string including the leading '?', or empty.</param>
/// <param name="Headers">Request headers (case-insensitive keys; multiple values joined with ", ").</param>
/// <param name="Body">Raw request body (UTF-8 decoded).</param>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The body parsed as JSON, or null when it is empty or not valid JSON.</summary>
    public JsonNode? Json { get; } = TryParse(Body);

    /// <summary>The HTTP version it arrived with, e.g. <c>HTTP/1.1</c> or <c>HTTP/2</c>.</summary>
    public string Protocol { get; init; } = "HTTP/1.1";

    /// <summary>Header value or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    private static JsonNode? TryParse(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try { return JsonNode.Parse(body); }
        catch (JsonException) { return null; }
    }
}
