using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using Switchyard.Lanes.Relay;

namespace Switchyard.Endpoints;

/// <summary>A lane's view of Kestrel's response.</summary>
internal sealed class HttpClientResponse(HttpContext context) : IClientResponse
{
    public CancellationToken Aborted => context.RequestAborted;

    public bool HasStarted => context.Response.HasStarted;

    public PipeWriter Writer => context.Response.BodyWriter;

    public void SetHeader(string name, string? value)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        if (value is null)
        {
            context.Response.Headers.Remove(name);
        }
        else
        {
            context.Response.Headers[name] = value;
        }
    }

    public void Start(int status, string contentType, bool stream)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        if (stream)
        {
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        }
    }
}
