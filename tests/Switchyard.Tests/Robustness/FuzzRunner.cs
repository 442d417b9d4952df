using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Robustness;

/// <summary>What a corpus run saw: counts, and every answer that was a 5xx or not in the caller's format.</summary>
internal sealed class FuzzReport
{
    public ConcurrentBag<string> Failures { get; } = [];

    public ConcurrentDictionary<int, int> Statuses { get; } = new();

    public ConcurrentDictionary<string, int> Classes { get; } = new();

    public ConcurrentDictionary<string, int> Endpoints { get; } = new();

    public int Count => Classes.Values.Sum();

    /// <summary>The counts, for the test output.</summary>
    public IEnumerable<string> Summary()
    {
        yield return $"{Count} requests; statuses: {string.Join(", ", Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}";
        yield return "by endpoint: " + string.Join(", ", Endpoints.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {e.Value}"));
        yield return "by class: " + string.Join(", ", Classes.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"));
        yield return $"{Failures.Count} failures";
    }
}

/// <summary>Sends a <see cref="BadInputCorpus"/> and judges every answer from the outside.</summary>
internal static class FuzzRunner
{
    public static async Task<FuzzReport> RunAsync(HttpClient http, IReadOnlyList<FuzzCase> cases, int parallelism = 16)
    {
        var report = new FuzzReport();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (c, ct) =>
        {
            report.Classes.AddOrUpdate(c.Class.Split(':')[^1] is var kind && kind.StartsWith("depth-", StringComparison.Ordinal) ? "depth" : kind, 1, (_, n) => n + 1);
            report.Endpoints.AddOrUpdate(c.Endpoint, 1, (_, n) => n + 1);
            var label = $"[{c.Class} {c.Method} {GatewayTestSupport.Truncate(c.Path, 120)}]";
            try
            {
                using var request = Build(c);
                var answer = await GatewayTestSupport.SendAsync(http, request, ct);
                var status = (int)answer.Status;
                report.Statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                // The path as sent: the client resolves dot segments ("/v1/responses/.." is "/v1/").
                var sent = request.RequestUri!.IsAbsoluteUri ? request.RequestUri.AbsolutePath : new Uri(http.BaseAddress!, c.Path).AbsolutePath;
                var problem = status >= 500 ? "5xx"
                    : status >= 400 ? CallerFormats.Violation(CallerFormats.For(sent, anthropicVersion: c.Path.Contains("/v1/models", StringComparison.Ordinal)), answer)
                    : sent == "/" ? null
                    : SuccessProblem(answer);
                if (problem is not null)
                {
                    var body = c.Body is null ? "" : " | request: " + GatewayTestSupport.Truncate(Encoding.UTF8.GetString(c.Body), 160);
                    report.Failures.Add($"{label} {status}: {problem}: {GatewayTestSupport.Truncate(answer.Body, 240)}{body}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                report.Failures.Add($"{label} transport failure: {e.GetType().Name}: {e.Message}");
            }
        });
        return report;
    }

    private static HttpRequestMessage Build(FuzzCase c)
    {
        var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Path);
        if (c.Body is not null)
        {
            request.Content = new ByteArrayContent(c.Body);
            if (c.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
            }
        }

        request.Headers.TryAddWithoutValidation(c.Admin ? "Authorization" : "x-api-key", c.Admin ? "Bearer " + BadInputCorpus.AdminKey : BadInputCorpus.ClientKey);
        if (CallerFormats.For(c.Path) == CallerFormat.Anthropic || c.Path.Contains("/v1/models", StringComparison.Ordinal))
        {
            request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        }

        return request;
    }

    /// <summary>Why a 1xx–3xx answer is not a well-formed success, or null.</summary>
    private static string? SuccessProblem(RawAnswer answer)
    {
        var contentType = answer.ContentHeaders.ContentType?.MediaType;
        if (answer.Body.Length == 0 || (int)answer.Status is 204 or (>= 300 and < 400))
        {
            return null;
        }

        if (contentType == "text/event-stream")
        {
            if (answer.Body.Contains("data: [DONE]", StringComparison.Ordinal))
            {
                return answer.Body.Contains("\"error\"", StringComparison.Ordinal) ? "error chunk in a 200 stream" : null;
            }

            var events = GatewayTestSupport.ParseSse(answer.Body);
            if (events.Count > 0 && events[0].Event == "response.created")
            {
                // The Responses API's stream: no [DONE]; it ends with the response's final state.
                return events.Any(e => e.Event is "error" or "response.failed") ? "error event in a 200 stream"
                    : events[^1].Event is not ("response.completed" or "response.incomplete") ? "stream does not end with response.completed"
                    : null;
            }

            return events.Count == 0 || events[0].Event != "message_start" ? "stream does not start with message_start"
                : events.Any(e => e.Event == "error") ? "error event in a 200 stream"
                : events[^1].Event != "message_stop" ? "stream does not end with message_stop"
                : null;
        }

        return contentType == "application/json" && answer.Json is JsonObject ? null : $"200 with {contentType ?? "no content-type"}";
    }
}
