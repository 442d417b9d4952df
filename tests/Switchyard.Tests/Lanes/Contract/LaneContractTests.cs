using System.Net;

namespace Switchyard.Tests.Lanes.Contract;

/// <summary>
/// The lane contract: the same cases on every lane, streamed and not, against both upstream formats. Each case checks
/// one shared stage: the outcome written to the ledger (usage), the upstream reader (keep-alives are liveness), the
/// cancellation path (a client that leaves cancels its upstream request) and the error mapping (the caller's format
/// and status).
/// </summary>
public sealed class LaneContractTests(PlainLaneFixture fixture) : IClassFixture<PlainLaneFixture>
{
    private LaneHarness Harness => fixture.Harness;

    public static TheoryData<string, bool> Cases() => LaneCase.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_ledger_records_the_usage_the_client_was_told(string lane, bool stream)
    {
        var lane1 = LaneCase.Get(lane, stream);
        Harness.Reset();
        lane1.EnqueueAnswer(Harness, miss: 72, hit: 128, output: 40);

        var answer = await Harness.SendAsync(lane1, lane1.Body());

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var told = lane1.ClientUsage(answer);
        Assert.Equal(new Tokens(200, 128, 40, told.Reasoning), told);
        var record = await Harness.LedgerAsync(answer.Header("request-id")!);
        Assert.Equal(told, new Tokens(record.InputTokens, record.CacheHitTokens, record.OutputTokens, record.ReasoningTokens));
        Assert.Equal(200, record.Status);
        Assert.Equal(stream, record.Stream);
        Assert.NotNull(record.StopReason);
        Assert.True(record.CostUsd > 0 || lane1.AnthropicUpstream, "A DeepSeek-served request is billed.");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_keep_alive_wait_longer_than_the_idle_timeout_does_not_fail(string lane, bool stream)
    {
        var lane1 = LaneCase.Get(lane, stream);
        Harness.Reset();
        var gap = TimeSpan.FromMilliseconds(250);
        var keepAlives = (int)(LaneHarness.IdleTimeout * 2.5 / gap);
        lane1.EnqueueAnswer(Harness, miss: 10, hit: 0, output: 5, keepAlives, gap);

        var answer = await Harness.SendAsync(lane1, lane1.Body());

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.False(lane1.ReportsError(answer), answer.Body);
        Assert.Equal("The answer.", lane1.Text(answer));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_client_that_disconnects_cancels_the_upstream_request(string lane, bool stream)
    {
        var lane1 = LaneCase.Get(lane, stream);
        Harness.Reset();
        var before = lane1.Cancelled(Harness);
        var received = lane1.Received(Harness);
        lane1.EnqueueSlow(Harness);

        using var cancel = new CancellationTokenSource();
        using var request = LaneHarness.Request(lane1, lane1.Body());
        var sent = Harness.Host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        if (stream)
        {
            using var response = await sent;
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64];
            Assert.True(await body.ReadAsync(buffer) > 0, "The stream started.");
            await cancel.CancelAsync();
        }
        else
        {
            // Leave only once the upstream has the request: a fixed wait raced a slow first request on a busy machine.
            await WaitUntilAsync(() => lane1.Received(Harness) > received);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sent);
        }

        await WaitUntilAsync(() => lane1.Cancelled(Harness) != before);
        Assert.Equal(before + 1, lane1.Cancelled(Harness));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Upstream_errors_reach_the_client_in_its_format_with_the_right_status(string lane, bool stream)
    {
        var lane1 = LaneCase.Get(lane, stream);
        Harness.Reset();
        var anthropic = lane1.Client == Switchyard.Lanes.ClientFormat.Anthropic;

        lane1.EnqueueError(Harness, 429, retryAfter: "7");
        var limited = await Harness.SendAsync(lane1, lane1.Body());
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal("rate_limit_error", lane1.ErrorType(limited));
        Assert.Equal("7", limited.Header("retry-after"));

        lane1.EnqueueError(Harness, 500);
        var failed = await Harness.SendAsync(lane1, lane1.Body());
        Assert.Equal(HttpStatusCode.InternalServerError, failed.Status);
        Assert.Equal("api_error", lane1.ErrorType(failed));

        lane1.EnqueueError(Harness, 503);
        var overloaded = await Harness.SendAsync(lane1, lane1.Body());
        Assert.Equal(anthropic ? (HttpStatusCode)529 : HttpStatusCode.ServiceUnavailable, overloaded.Status);
        Assert.Equal(anthropic ? "overloaded_error" : "server_overloaded", lane1.ErrorType(overloaded));

        var record = await Harness.LedgerAsync(overloaded.Header("request-id")!);
        Assert.Equal((int)overloaded.Status, record.Status);
        Assert.Equal("overloaded_error", record.ErrorType);
    }
}

/// <summary>An upstream that breaks off mid-answer.</summary>
public sealed class LaneCutContractTests(PlainLaneFixture fixture) : IClassFixture<PlainLaneFixture>
{
    private LaneHarness Harness => fixture.Harness;

    public static TheoryData<string, bool> Cases() => LaneCase.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task An_answer_cut_short_is_an_error_in_the_client_format_never_a_clean_end(string lane, bool stream)
    {
        var lane1 = LaneCase.Get(lane, stream);
        Harness.Reset();
        lane1.EnqueueCut(Harness);

        var answer = await Harness.SendAsync(lane1, lane1.Body());

        // A stream has started (200); its last event is the error. A JSON answer fails as a whole, and is not retried:
        // the upstream had accepted the request and was generating.
        Assert.Equal(stream ? HttpStatusCode.OK : HttpStatusCode.InternalServerError, answer.Status);
        // A Responses stream says it with the Responses API's own error code.
        Assert.Equal(stream && lane1.Responses ? "server_error" : "api_error", lane1.ErrorType(answer));
        if (stream)
        {
            Assert.DoesNotContain("[DONE]", answer.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("message_stop", answer.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("response.completed", answer.Body, StringComparison.Ordinal);
        }

        var record = await Harness.LedgerAsync(answer.Header("request-id")!);
        Assert.Equal("api_error", record.ErrorType);
        Assert.Equal((int)answer.Status, record.Status);
    }
}

/// <summary>The lane contract's resilience cases: retries and fallbacks apply on every lane.</summary>
public sealed class LaneResilienceContractTests(ResilientLaneFixture fixture) : IClassFixture<ResilientLaneFixture>
{
    private LaneHarness Harness => fixture.Harness;

    public static TheoryData<string, bool> Cases() => LaneCase.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_failed_attempt_is_retried(string lane, bool stream)
    {
        var lane1 = LaneCase.Get(lane, stream);
        Harness.Reset();
        lane1.EnqueueError(Harness, 503);
        lane1.EnqueueAnswer(Harness, miss: 10, hit: 0, output: 5);

        var answer = await Harness.SendAsync(lane1, lane1.Body());

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("1", answer.Header("x-switchyard-retries"));
        Assert.Equal(lane1.AnthropicUpstream ? "anthropic" : "deepseek", answer.Header("x-switchyard-provider"));
        Assert.Equal(1, (await Harness.LedgerAsync(answer.Header("request-id")!)).Retries);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_failed_target_falls_back_to_the_next(string lane, bool stream)
    {
        var lane1 = LaneCase.Get(lane, stream);
        Harness.Reset();
        lane1.EnqueueError(Harness, 500);
        lane1.EnqueueError(Harness, 500);
        lane1.EnqueueAnswer(Harness, miss: 10, hit: 0, output: 5);

        var answer = await Harness.SendAsync(lane1, lane1.Body());

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("The answer.", lane1.Text(answer));
        Assert.Equal(lane1.AnthropicUpstream ? "anthropic-backup" : "deepseek-backup", answer.Header("x-switchyard-provider"));
        var record = await Harness.LedgerAsync(answer.Header("request-id")!);
        Assert.Equal(lane1.AnthropicUpstream ? "anthropic-backup" : "deepseek-backup", record.Provider);
        Assert.Equal(2, record.Retries);
    }
}
