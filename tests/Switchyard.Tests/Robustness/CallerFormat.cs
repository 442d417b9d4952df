using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Robustness;

/// <summary>The error format a caller of a path expects.</summary>
internal enum CallerFormat
{
    /// <summary><c>{"type":"error","error":{"type","message"},"request_id"}</c> (Messages API, admin API).</summary>
    Anthropic,
    /// <summary><c>{"error":{"message","type","param","code"}}</c> (Chat Completions, FIM, Responses, balance).</summary>
    OpenAI,
    /// <summary><c>{"error":"…"}</c> (the dashboard's own JSON API).</summary>
    Dashboard,
}

/// <summary>Decides, from the outside, whether an error answer is in the caller's format.</summary>
internal static class CallerFormats
{
    /// <summary>The format a request to <paramref name="path"/> is answered in.</summary>
    public static CallerFormat For(string path, bool anthropicVersion = false)
    {
        var bare = path.Split('?')[0];
        if (bare.StartsWith("/dashboard/api/", StringComparison.Ordinal))
        {
            return CallerFormat.Dashboard;
        }

        if (bare.StartsWith("/anthropic/", StringComparison.Ordinal))
        {
            return CallerFormat.Anthropic;
        }

        if (bare.EndsWith("/chat/completions", StringComparison.Ordinal) || bare.StartsWith("/beta/", StringComparison.Ordinal) ||
            bare.Contains("/user/balance", StringComparison.Ordinal) || bare == "/models" || bare.StartsWith("/models/", StringComparison.Ordinal) ||
            bare.StartsWith("/v1/responses", StringComparison.Ordinal) || bare.StartsWith("/responses", StringComparison.Ordinal) ||
            bare.StartsWith("/v1/completions", StringComparison.Ordinal) || bare.StartsWith("/completions", StringComparison.Ordinal) || (bare.StartsWith("/v1/models", StringComparison.Ordinal) && !anthropicVersion))
        {
            return CallerFormat.OpenAI;
        }

        return CallerFormat.Anthropic;
    }

    /// <summary>Why <paramref name="answer"/> is not an error in <paramref name="format"/>, or null when it is.</summary>
    public static string? Violation(CallerFormat format, RawAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (!(answer.ContentHeaders.ContentType?.MediaType ?? string.Empty).Equals("application/json", StringComparison.Ordinal))
        {
            return $"content-type {answer.ContentHeaders.ContentType?.ToString() ?? "none"}";
        }

        if (answer.Json is not JsonObject json)
        {
            return "the body is not a JSON object";
        }

        switch (format)
        {
            case CallerFormat.Dashboard:
                return IsString(json["error"]) && json.Count == 1 ? null : "not {\"error\": string}";
            case CallerFormat.OpenAI:
                return json["error"] is JsonObject error && IsString(error["message"]) && IsString(error["type"]) &&
                       error.ContainsKey("param") && error.ContainsKey("code") && json["type"] is null
                    ? null
                    : "not the OpenAI envelope";
            default:
                if (!IsString(json["type"]) || (string)json["type"]! != "error" || json["error"] is not JsonObject anthropic ||
                    !IsString(anthropic["type"]) || !IsString(anthropic["message"]))
                {
                    return "not the Anthropic envelope";
                }

                return IsString(json["request_id"]) && (string?)json["request_id"] == answer.Header("request-id")
                    ? null
                    : "request_id missing or not the request-id header";
        }
    }

    /// <summary>Asserts that <paramref name="answer"/> has <paramref name="status"/> and is an error in the caller's format.</summary>
    public static void AssertError(RawAnswer answer, string path, System.Net.HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(answer);
        Assert.True(status == answer.Status, $"{path}: expected {(int)status}, got {(int)answer.Status}: {GatewayTestSupport.Truncate(answer.Body)}");
        var format = For(path);
        Assert.True(Violation(format, answer) is null, $"{path}: {Violation(format, answer)}: {GatewayTestSupport.Truncate(answer.Body)}");
    }

    private static bool IsString(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String;
}
