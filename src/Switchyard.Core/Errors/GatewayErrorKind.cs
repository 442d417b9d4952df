using Switchyard.Lanes;

namespace Switchyard.Errors;

/// <summary>
/// The kinds of failure Switchyard reports to clients. Each kind has one HTTP status and one error type per
/// wire format (see <see cref="GatewayErrorKindExtensions"/>), so nothing else chooses statuses ad hoc.
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
    /// <summary>The body is not declared as JSON (415).</summary>
    UnsupportedMediaType,
    /// <summary>The upstream found the parameters invalid (422, as DeepSeek documents it).</summary>
    InvalidParameters,
    /// <summary>A rate or concurrency limit was hit (429).</summary>
    RateLimit,
    /// <summary>An unexpected failure inside Switchyard or the upstream (500).</summary>
    Api,
    /// <summary>The upstream could not be reached (502, reported as <c>api_error</c>).</summary>
    BadGateway,
    /// <summary>The upstream did not answer in time (504).</summary>
    Timeout,
    /// <summary>The upstream, or Switchyard itself, is overloaded (529; 503 for OpenAI-format clients).</summary>
    Overloaded,
}

/// <summary>
/// The one mapping between <see cref="GatewayErrorKind"/> and the wire: statuses and error types of both formats,
/// and the way back from an upstream's status or Anthropic error type.
/// </summary>
public static class GatewayErrorKindExtensions
{
    /// <summary>The HTTP status code for the kind (the Anthropic format's; see <see cref="StatusCode(GatewayErrorKind, ClientFormat)"/>).</summary>
    public static int StatusCode(this GatewayErrorKind kind) => kind switch
    {
        GatewayErrorKind.InvalidRequest => 400,
        GatewayErrorKind.Authentication => 401,
        GatewayErrorKind.Billing => 402,
        GatewayErrorKind.Permission => 403,
        GatewayErrorKind.NotFound => 404,
        GatewayErrorKind.RequestTooLarge => 413,
        GatewayErrorKind.UnsupportedMediaType => 415,
        GatewayErrorKind.InvalidParameters => 422,
        GatewayErrorKind.RateLimit => 429,
        GatewayErrorKind.Api => 500,
        GatewayErrorKind.BadGateway => 502,
        GatewayErrorKind.Timeout => 504,
        GatewayErrorKind.Overloaded => 529,
        _ => 500,
    };

    /// <summary>The status a client of <paramref name="format"/> gets: OpenAI clients know no 529, so overload is 503 there.</summary>
    public static int StatusCode(this GatewayErrorKind kind, ClientFormat format) =>
        format == ClientFormat.OpenAI && kind == GatewayErrorKind.Overloaded ? 503 : kind.StatusCode();

    /// <summary>The <c>error.type</c> of the Anthropic error envelope.</summary>
    public static string AnthropicType(this GatewayErrorKind kind) => kind switch
    {
        GatewayErrorKind.InvalidRequest or GatewayErrorKind.UnsupportedMediaType or GatewayErrorKind.InvalidParameters => "invalid_request_error",
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
        GatewayErrorKind.InvalidRequest or GatewayErrorKind.NotFound or GatewayErrorKind.RequestTooLarge
            or GatewayErrorKind.UnsupportedMediaType or GatewayErrorKind.InvalidParameters => "invalid_request_error",
        GatewayErrorKind.Authentication => "authentication_error",
        GatewayErrorKind.Billing => "unknown_error",
        GatewayErrorKind.Permission => "permission_error",
        GatewayErrorKind.RateLimit => "rate_limit_error",
        GatewayErrorKind.Timeout => "timeout_error",
        GatewayErrorKind.Overloaded => "server_overloaded",
        _ => "api_error",
    };

    /// <summary>The <c>error.code</c> of the OpenAI error envelope.</summary>
    public static string OpenAICode(this GatewayErrorKind kind) => kind switch
    {
        GatewayErrorKind.InvalidRequest or GatewayErrorKind.InvalidParameters => "invalid_request_error",
        GatewayErrorKind.Authentication => "invalid_api_key",
        GatewayErrorKind.Billing => "insufficient_balance",
        GatewayErrorKind.NotFound => "model_not_found",
        GatewayErrorKind.RateLimit => "rate_limit_exceeded",
        GatewayErrorKind.RequestTooLarge => "request_too_large",
        GatewayErrorKind.UnsupportedMediaType => "unsupported_media_type",
        _ => kind.OpenAIType(),
    };

    /// <summary>
    /// The kind of an upstream's Anthropic <c>error.type</c>. An upstream <c>authentication_error</c> is the gateway's
    /// own credentials failing: <see cref="GatewayErrorKind.Api"/>, never the client's 401.
    /// </summary>
    public static GatewayErrorKind FromAnthropicType(string? type) => type switch
    {
        "invalid_request_error" => GatewayErrorKind.InvalidRequest,
        "billing_error" => GatewayErrorKind.Billing,
        "permission_error" => GatewayErrorKind.Permission,
        "not_found_error" => GatewayErrorKind.NotFound,
        "request_too_large" => GatewayErrorKind.RequestTooLarge,
        "rate_limit_error" => GatewayErrorKind.RateLimit,
        "timeout_error" => GatewayErrorKind.Timeout,
        "overloaded_error" => GatewayErrorKind.Overloaded,
        _ => GatewayErrorKind.Api,
    };

    /// <summary>The kind of an upstream's HTTP error status (401/403 are the gateway's credentials: <see cref="GatewayErrorKind.Api"/>).</summary>
    public static GatewayErrorKind FromUpstreamStatus(int status) => status switch
    {
        401 or 403 => GatewayErrorKind.Api,
        402 => GatewayErrorKind.Billing,
        404 => GatewayErrorKind.NotFound,
        413 => GatewayErrorKind.RequestTooLarge,
        422 => GatewayErrorKind.InvalidParameters,
        429 => GatewayErrorKind.RateLimit,
        >= 400 and < 500 => GatewayErrorKind.InvalidRequest,
        503 or 529 => GatewayErrorKind.Overloaded,
        504 => GatewayErrorKind.Timeout,
        _ => GatewayErrorKind.Api,
    };
}
