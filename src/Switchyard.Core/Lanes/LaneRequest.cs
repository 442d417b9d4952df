using System.Text.Json;

namespace Switchyard.Lanes;

/// <summary>
/// A client request as the front read it: its bytes (for passthrough), its JSON, the headers a lane may forward, and
/// what each lane parsed from it (cached, so fallbacks on the same lane parse once).
/// </summary>
public sealed class LaneRequest
{
    private readonly Func<string, string?> _header;
    private Dictionary<object, object>? _parsed;

    /// <summary>Creates a request.</summary>
    /// <param name="format">The client's wire format.</param>
    /// <param name="operation">What the client asks for.</param>
    /// <param name="body">The raw body.</param>
    /// <param name="json">The parsed body (its elements point into <paramref name="body"/>).</param>
    /// <param name="header">Reads a request header (null when absent).</param>
    public LaneRequest(ClientFormat format, LaneOperation operation, ReadOnlyMemory<byte> body, JsonElement json, Func<string, string?> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        Format = format;
        Operation = operation;
        Body = body;
        Json = json;
        _header = header;
    }

    /// <summary>The client's wire format.</summary>
    public ClientFormat Format { get; }

    /// <summary>What the client asks for.</summary>
    public LaneOperation Operation { get; }

    /// <summary>The raw body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The parsed body.</summary>
    public JsonElement Json { get; }

    /// <summary>True when a Chat Completions client used the <c>/beta</c> path (prefix completion, strict tools).</summary>
    public bool BetaPath { get; init; }

    /// <summary>The client key's id (the tenant), or null in open mode: what the upstream <c>user_id</c> derives from.</summary>
    public string? Tenant { get; init; }

    /// <summary>
    /// For a Responses API request: the stored conversation it continues and the client key's scope, loaded by the
    /// front before routing (null elsewhere, or when nothing was loaded: no history, the open-mode scope).
    /// </summary>
    public Responses.ResponsesConversation? Conversation { get; init; }

    /// <summary>A request header, or null.</summary>
    public string? Header(string name) => _header(name);

    /// <summary>The requested model name, or null when the body names none.</summary>
    public string? Model => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String
        ? model.GetString()
        : null;

    /// <summary>Whether the client asks for a stream (<c>stream:true</c>).</summary>
    public bool Stream => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;

    /// <summary>What <paramref name="owner"/> read from this request, read once by <paramref name="read"/>.</summary>
    public T Parsed<T>(object owner, Func<LaneRequest, T> read)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(read);
        _parsed ??= [];
        if (!_parsed.TryGetValue(owner, out var value))
        {
            _parsed[owner] = value = read(this);
        }

        return (T)value;
    }
}
