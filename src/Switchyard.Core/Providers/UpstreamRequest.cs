namespace Switchyard.Providers;

/// <summary>What a lane sends upstream: a POST of a JSON body to a path under the provider's base URL.</summary>
/// <param name="Path">The path, e.g. <c>/chat/completions</c>, <c>/beta/chat/completions</c>, <c>/v1/messages</c>.</param>
/// <param name="Body">The JSON body.</param>
/// <param name="Stream">Whether the response is an event stream.</param>
public sealed record UpstreamRequest(string Path, ReadOnlyMemory<byte> Body, bool Stream)
{
    /// <summary>Client headers forwarded as they are (Anthropic-format upstreams: <c>anthropic-version</c>, <c>anthropic-beta</c>…).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}
