using System.IO.Pipelines;

namespace Switchyard.Lanes.Relay;

/// <summary>
/// The client's side of a lane: the HTTP response being written (Kestrel's in the server, an in-memory pipe in
/// tests). Lanes write only through this, so they run without a socket.
/// </summary>
public interface IClientResponse
{
    /// <summary>Cancelled when the client goes away.</summary>
    CancellationToken Aborted { get; }

    /// <summary>Whether the status line and headers were sent.</summary>
    bool HasStarted { get; }

    /// <summary>The body writer.</summary>
    PipeWriter Writer { get; }

    /// <summary>Sets a response header; null removes it. Ignored once the response started.</summary>
    void SetHeader(string name, string? value);

    /// <summary>Sets the status and content type; for <paramref name="stream"/>, also no caching and no proxy buffering.</summary>
    void Start(int status, string contentType, bool stream);
}
