using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Lanes.ChatToChat;

/// <summary>A raw answer of the gateway.</summary>
internal sealed record OpenAIRawAnswer(HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonNode? Json
    {
        get
        {
            try
            {
                return JsonNode.Parse(Body);
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }
    }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The <c>data:</c> payloads of an SSE body, in order.</summary>
    public List<string> DataPayloads() => OpenAIFrontSupport.DataPayloads(Body);
}

/// <summary>Clients and raw helpers for the OpenAI-format front end.</summary>
internal static class OpenAIFrontSupport
{
    /// <summary>The official OpenAI .NET SDK pointed at the gateway's <c>/v1</c>, without retries.</summary>
    public static ChatClient Chat(GatewayHost host, string model, string path = "v1") =>
        new(model, new ApiKeyCredential("sk-openai-client"), Options(host, path));

    public static OpenAIClientOptions Options(GatewayHost host, string path = "v1") => new()
    {
        Endpoint = new Uri(host.BaseUrl, path),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        NetworkTimeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>POSTs a JSON text with a Bearer key (as OpenAI clients do; no anthropic-version).</summary>
    public static async Task<OpenAIRawAnswer> PostAsync(GatewayHost host, string path, string json, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer sk-openai-client");
        foreach (var (k, v) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(k, v);
        }

        return await SendAsync(host, request);
    }

    /// <summary>GETs a path with a Bearer key and optional extra headers.</summary>
    public static async Task<OpenAIRawAnswer> GetAsync(GatewayHost host, string path, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer sk-openai-client");
        foreach (var (k, v) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(k, v);
        }

        return await SendAsync(host, request);
    }

    private static async Task<OpenAIRawAnswer> SendAsync(GatewayHost host, HttpRequestMessage request)
    {
        using var response = await host.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in response.Headers) headers[k] = string.Join(",", v);
        foreach (var (k, v) in response.Content.Headers) headers[k] = string.Join(",", v);
        return new OpenAIRawAnswer(response.StatusCode, headers, body);
    }

    /// <summary>The <c>data:</c> payloads of an SSE body, in order (multi-line data joined by \n).</summary>
    public static List<string> DataPayloads(string sse)
    {
        var result = new List<string>();
        foreach (var frame in sse.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var data = frame.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..].TrimStart(' ')).ToList();
            if (data.Count > 0)
            {
                result.Add(string.Join("\n", data));
            }
        }

        return result;
    }

    /// <summary>Asserts the OpenAI error envelope and returns its <c>error</c> object.</summary>
    public static JsonObject AssertOpenAIError(OpenAIRawAnswer answer, HttpStatusCode status, string type)
    {
        Assert.True(status == answer.Status, $"expected {(int)status}, got {(int)answer.Status}: {answer.Body}");
        var error = answer.Json?["error"] as JsonObject;
        Assert.NotNull(error);
        Assert.Equal(type, error["type"]?.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(error["message"]?.GetValue<string>()));
        Assert.True(error.ContainsKey("code"), "error.code must be present");
        Assert.Null(answer.Json!["type"]); // not the Anthropic envelope
        return error;
    }

    /// <summary>Settings that turn the gateway's own retries off, so an upstream error reaches the client at once.</summary>
    public static Dictionary<string, string?> NoRetries(Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings["Switchyard:Resilience:MaxRetries"] = "0";
        return settings;
    }

    /// <summary>The header of an SDK result's raw response.</summary>
    public static string? Header(ClientResult result, string name) =>
        result.GetRawResponse().Headers.TryGetValue(name, out var value) ? value : null;
}
