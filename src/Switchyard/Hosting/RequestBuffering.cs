namespace Switchyard.Hosting;

/// <summary>How much of a request body Kestrel may hold in memory ahead of Switchyard.</summary>
internal static class RequestBuffering
{
    /// <summary>
    /// Kestrel's socket transport reads up to 1 MB ahead of the application on every connection, and its block pool
    /// keeps the peak (evicting 5 % every 10 s when idle): sixteen concurrent uploads left about 30 MB of blocks
    /// resident. 128 KB still keeps a loopback upload at full speed.
    /// </summary>
    public const long SocketReadAheadBytes = 128 * 1024;

    /// <summary>Sets Kestrel's body limits for <paramref name="options"/>.</summary>
    public static void Apply(WebApplicationBuilder builder, SwitchyardOptions options)
    {
        builder.WebHost.UseSockets(sockets => sockets.MaxReadBufferSize = SocketReadAheadBytes);

        // Switchyard enforces the body limit itself (413 in the caller's format). Kestrel's own limit is set higher so
        // that it can still drain a moderately oversized body after that 413 instead of resetting the connection
        // while the client is sending, which would hide the answer.
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Limits.MaxRequestBodySize = Math.Max(options.MaxRequestBodyBytes * 2, options.MaxRequestBodyBytes + (1 << 20)));
    }
}
