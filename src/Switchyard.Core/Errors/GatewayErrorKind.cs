namespace Switchyard.Errors;

/// <summary>
/// The kinds of failure Switchyard reports to clients. Each kind has one HTTP status and one error type per
/// wire format (see <see cref="GatewayErrorKindExtensions"/>), so endpoints never choose statuses ad hoc.
/// </summary>
public enum GatewayErrorKind
{
    /// <summary>The request is malformed or asks for something unsupported (400).</summary>
    InvalidRequest,
    /// <summary>The client's credentials are missing or wrong (401).</summary>
    Authentication,
    /// <summary>The account has no balance or budget left (402).</summary>
    Billing,
    /// <summary>The key may not use this resource (403).</summary>
    Permission,
    /// <summary>The resource or model does not exist (404).</summary>
    NotFound,
    /// <summary>The request body exceeds the configured limit (413).</summary>
    RequestTooLarge,
    /// <summary>The body is declared as something other than JSON (415).</summary>
    UnsupportedMediaType,
    /// <summary>The upstream found the request's parameters invalid (422, as DeepSeek answers it).</summary>
    UnprocessableEntity,
    /// <summary>A rate or concurrency limit was hit (429).</summary>
    RateLimit,
    /// <summary>An unexpected failure inside Switchyard or the upstream (500).</summary>
    Api,
    /// <summary>The upstream could not be reached (502, reported as <c>api_error</c>).</summary>
    BadGateway,
    /// <summary>The upstream did not answer in time (504).</summary>
    Timeout,
    /// <summary>The upstream is overloaded or ran out of resources (529).</summary>
    Overloaded,
}

/// <summary>Status codes and wire error types for <see cref="GatewayErrorKind"/>.</summary>
public static class GatewayErrorKindExtensions
{
    /// <summary>The HTTP status code for the kind.</summary>
    public static int StatusCode(this GatewayErrorKind kind) => kind switch
    {
        GatewayErrorKind.InvalidRequest => 400,
        GatewayErrorKind.Authentication => 401,
        GatewayErrorKind.Billing => 402,
        GatewayErrorKind.Permission => 403,
        GatewayErrorKind.NotFound => 404,
        GatewayErrorKind.RequestTooLarge => 413,
        GatewayErrorKind.UnsupportedMediaType => 415,
        GatewayErrorKind.UnprocessableEntity => 422,
        GatewayErrorKind.RateLimit => 429,
        GatewayErrorKind.Api => 500,
        GatewayErrorKind.BadGateway => 502,
        GatewayErrorKind.Timeout => 504,
        GatewayErrorKind.Overloaded => 529,
        _ => 500,
    };

    /// <summary>The <c>error.type</c> of the Anthropic error envelope.</summary>
    public static string AnthropicType(this GatewayErrorKind kind) => kind switch
    {
        GatewayErrorKind.InvalidRequest or GatewayErrorKind.UnsupportedMediaType or GatewayErrorKind.UnprocessableEntity => "invalid_request_error",
        GatewayErrorKind.Authentication => "authentication_error",
        GatewayErrorKind.Billing => "billing_error",
        GatewayErrorKind.Permission => "permission_error",
        GatewayErrorKind.NotFound => "not_found_error",
        GatewayErrorKind.RequestTooLarge => "request_too_large",
        GatewayErrorKind.RateLimit => "rate_limit_error",
        GatewayErrorKind.Timeout => "timeout_error",
        GatewayErrorKind.Overloaded => "overloaded_error",
        _ => "api_error",
    };

    /// <summary>The <c>error.type</c> of the OpenAI error envelope, as DeepSeek reports it.</summary>
    public static string OpenAIType(this GatewayErrorKind kind) => kind switch
    {
        GatewayErrorKind.InvalidRequest or GatewayErrorKind.NotFound or GatewayErrorKind.RequestTooLarge or
            GatewayErrorKind.UnsupportedMediaType or GatewayErrorKind.UnprocessableEntity => "invalid_request_error",
        GatewayErrorKind.Authentication => "authentication_error",
        GatewayErrorKind.Billing => "unknown_error",
        GatewayErrorKind.Permission => "permission_error",
        GatewayErrorKind.RateLimit => "rate_limit_error",
        GatewayErrorKind.Timeout => "timeout_error",
        GatewayErrorKind.Overloaded => "server_overloaded",
        _ => "api_error",
    };
}
