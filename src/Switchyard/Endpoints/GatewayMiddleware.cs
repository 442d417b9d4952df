using Switchyard.Accounting;
using Switchyard.Anthropic;
using Switchyard.Errors;
using Switchyard.Lanes;
using Switchyard.Platform;

namespace Switchyard.Endpoints;

/// <summary>
/// The outermost layer: assigns the request id, authenticates the caller, keeps the ledger record, and turns
/// every exception into an error in the caller's format. A client mistake is never a 5xx.
/// </summary>
internal sealed class GatewayMiddleware(
    RequestDelegate next, PlatformService platform, IEnumerable<IRequestObserver> observers, ILogger<GatewayMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        context.TraceIdentifier = AnthropicIds.NewRequestId();
        context.Response.Headers["request-id"] = context.TraceIdentifier;
        var format = ClientFormats.Detect(context.Request);
        RequestLog? log = null;
        if (RequestLogs.EndpointName(context.Request) is { } endpoint)
        {
            log = new RequestLog(new RequestRecord
            {
                RequestId = context.TraceIdentifier,
                Format = format == ClientFormat.OpenAI ? "openai" : "anthropic",
                Endpoint = endpoint,
            }, platform, observers)
            {
                Response = context.Response,
                Retention = context.RequestServices.GetService<Hosting.SwitchyardOptions>()?.RequestBodies,
            };
            context.Features.Set(log);
        }

        GatewayException? failure = null;
        try
        {
            if (RequiresKey(context.Request.Path))
            {
                var presented = PlatformHttp.PresentedKeys(context.Request);
                var auth = await platform.AuthenticateAnyAsync(presented, PlatformHttp.IsLoopback(context), context.RequestAborted);
                if (log is not null && auth.Key is { } key)
                {
                    log.Record.KeyId = key.Id;
                    log.Record.KeyName = key.Name;
                }
                else if (log is not null && auth.Outcome == AuthOutcome.Rejected)
                {
                    // The request log shows who was turned away, never as "(open)" and never with the secret.
                    log.Record.KeyName = presented.Count == 0 ? "(no key)" : "(unknown key)";
                }

                auth.ThrowIfRejected();
                context.SetPlatformAuth(auth);
            }

            await next(context);
        }
        catch (GatewayException error) when (!context.Response.HasStarted)
        {
            failure = error;
            if (error.Kind.StatusCode() >= 500)
            {
                // The cause (e.g. which upstream address refused the connection) is for the operator, not the client.
                logger.LogWarning("Request {RequestId} failed: {Kind}: {Message} {Cause}", context.TraceIdentifier, error.Kind,
                    Observability.LogText.Escape(error.Message), Observability.LogText.Escape(error.InnerException?.Message));
            }

            await WriteErrorAsync(context, error, format, log);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; the upstream request was cancelled with it.
        }
        catch (BadHttpRequestException exception) when (!context.Response.HasStarted)
        {
            var kind = exception.StatusCode == StatusCodes.Status413PayloadTooLarge ? GatewayErrorKind.RequestTooLarge : GatewayErrorKind.InvalidRequest;
            failure = new GatewayException(kind, exception.Message);
            await WriteErrorAsync(context, failure, format, log);
        }
        catch (Exception exception) when (!context.Response.HasStarted)
        {
            logger.LogError(exception, "Request {RequestId} failed unexpectedly", context.TraceIdentifier);
            failure = new GatewayException(GatewayErrorKind.Api, "Internal error in Switchyard.");
            await WriteErrorAsync(context, failure, format, log);
        }
        finally
        {
            if (log is not null)
            {
                log.Record.ClientDisconnected |= context.RequestAborted.IsCancellationRequested;
                foreach (var lease in log.Leases)
                {
                    await lease.DisposeAsync();
                }

                await log.CompleteAsync(context.Response.StatusCode, failure);
            }
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, GatewayException error, ClientFormat format, RequestLog? log)
    {
        if (log is not null)
        {
            // Recorded before the error body goes out, like every other response.
            await log.CompleteAsync(error.Kind.StatusCode(format), error);
        }

        await JsonResponses.WriteErrorAsync(context, error, format);
    }

    private static bool RequiresKey(PathString path) =>
        !path.StartsWithSegments("/healthz") && !path.StartsWithSegments("/readyz") && path != "/" && path.Value is not null && !PlatformHttp.IsAdminPath(path);
}
