namespace Switchyard.Providers;

/// <summary>The HTTP version Switchyard speaks to a provider (<c>…:HttpVersion</c>).</summary>
public enum UpstreamHttpVersion
{
    /// <summary>
    /// <c>https://</c>: HTTP/2 when the server offers it (ALPN), else HTTP/1.1. <c>http://</c>: HTTP/1.1, since a
    /// plain-text server cannot say whether it speaks HTTP/2.
    /// </summary>
    Auto,

    /// <summary>HTTP/1.1 only: one connection per concurrent request.</summary>
    Http11,

    /// <summary>
    /// HTTP/2 only, many requests multiplexed on few connections: negotiated by ALPN over <c>https://</c>, with prior
    /// knowledge (h2c) over <c>http://</c>. A server that does not speak it fails the request.
    /// </summary>
    Http2,
}
