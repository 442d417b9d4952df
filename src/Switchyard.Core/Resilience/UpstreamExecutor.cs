using Polly;
using Polly.Retry;
using Switchyard.Errors;
using Switchyard.Providers;
using Switchyard.Routing;

namespace Switchyard.Resilience;

/// <summary>
/// Runs the upstream part of a request (until the response is accepted, before any byte reaches the client) over a
/// route's targets: each target is tried with retries (Polly: exponential backoff with jitter, <c>retry-after</c>
/// honoured, bounded by <see cref="ResilienceOptions.MaxRetries"/> and <see cref="ResilienceOptions.RetryBudget"/>),
/// each attempt on the endpoint the load balancer picks; then the next target (fallback).
/// </summary>
public sealed class UpstreamExecutor
{
    private static readonly ResiliencePropertyKey<RetryState> StateKey = new("switchyard.retry-state");

    private readonly ResilienceOptions _options;
    private readonly ProviderRegistry _providers;
    private readonly TimeProvider _time;
    private readonly Action<string>? _log;
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Creates the executor; <paramref name="log"/> receives one line per retry and fallback.</summary>
    public UpstreamExecutor(ResilienceOptions options, ProviderRegistry providers, TimeProvider? time = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(providers);
        _options = options;
        _providers = providers;
        _time = time ?? TimeProvider.System;
        _log = log;
        // The first attempt runs outside the pipeline (most requests succeed at once, and then cost no Polly layers);
        // the pipeline holds the retries after the first, so its attempt numbers are one behind.
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time };
        if (options.MaxRetries > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries - 1,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(
                    args.Outcome.Exception, args.Context.Properties.GetValue(StateKey, null!), args.AttemptNumber + 1, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Context.Properties.GetValue(StateKey, null!)?.NextDelay ?? TimeSpan.Zero),
                OnRetry = args =>
                {
                    _log?.Invoke($"Retrying an upstream attempt in {(int)args.RetryDelay.TotalMilliseconds} ms: {args.Outcome.Exception?.Message}");
                    return ValueTask.CompletedTask;
                },
            });
        }

        _pipeline = builder.Build();
    }

    /// <summary>The settings.</summary>
    public ResilienceOptions Options => _options;

    /// <summary>The providers.</summary>
    public ProviderRegistry Providers => _providers;

    /// <summary>
    /// Calls <paramref name="call"/> for the targets in order until one succeeds. Retryable failures are retried on
    /// the same target; fallback-eligible ones move on to the next target; others (client errors, failures after the
    /// upstream accepted the request) are thrown at once. The last failure is thrown, as it was, when every target
    /// failed. Targets whose every circuit is open are skipped while another target is available; when none is, the
    /// route does not go dark: every target is tried anyway.
    /// </summary>
    public async Task<T> ExecuteAsync<T>(
        IReadOnlyList<ResolvedTarget> targets, Func<UpstreamAttempt, CancellationToken, Task<T>> call, AttemptReport report,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(report);
        if (targets.Count == 0)
        {
            throw new ArgumentException("A route needs at least one target.", nameof(targets));
        }

        var order = targets;
        if (targets.Count > 1 && targets.Any(t => !_providers.IsAvailable(t.Provider.Name)))
        {
            var available = targets.Where(t => _providers.IsAvailable(t.Provider.Name)).ToList();
            if (available.Count > 0)
            {
                order = available;
                if (!ReferenceEquals(order[0], targets[0]))
                {
                    // The primary is dark: serving from another target is a fallback.
                    report.Fallbacks++;
                }
            }
        }

        var state = new RetryState(_time.GetUtcNow() + _options.RetryBudget);
        for (var index = 0; ; index++)
        {
            var target = order[index];
            if (index > 0)
            {
                report.Fallbacks++;
            }

            try
            {
                return await RunTargetAsync(target, call, report, state, cancellationToken);
            }
            catch (GatewayException exception) when (index < order.Count - 1 && !cancellationToken.IsCancellationRequested &&
                                                     FailureClassifier.IsFallbackEligible(exception))
            {
                _log?.Invoke($"Upstream target {target} failed ({exception.Message}); falling back to {order[index + 1]}");
            }
        }
    }

    /// <summary>One target: a first attempt, then (when it failed in a retryable way) the retry pipeline.</summary>
    private async Task<T> RunTargetAsync<T>(
        ResolvedTarget target, Func<UpstreamAttempt, CancellationToken, Task<T>> call, AttemptReport report, RetryState state,
        CancellationToken cancellationToken)
    {
        try
        {
            return await AttemptAsync(target, call, report, state, cancellationToken);
        }
        catch (GatewayException exception) when (_options.MaxRetries > 0 && ShouldRetry(exception, state, 0, cancellationToken))
        {
            _log?.Invoke($"Retrying an upstream attempt in {(int)state.NextDelay.TotalMilliseconds} ms: {exception.Message}");
        }

        await Task.Delay(state.NextDelay, _time, cancellationToken);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(StateKey, state);
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (ctx, s) => await s.Self.AttemptAsync(s.Target, s.Call, s.Report, s.State, ctx.CancellationToken),
                context,
                (Self: this, Target: target, Call: call, Report: report, State: state));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<T> AttemptAsync<T>(
        ResolvedTarget target, Func<UpstreamAttempt, CancellationToken, Task<T>> call, AttemptReport report, RetryState state,
        CancellationToken cancellationToken)
    {
        var endpoint = _providers.Select(target.Provider.Name);
        var attempt = new UpstreamAttempt(target, endpoint, report.NextAttempt(), endpoint.Lease());
        try
        {
            var result = await call(attempt, cancellationToken);
            endpoint.Breaker.RecordSuccess();
            report.Served = target;
            report.Endpoint = endpoint;
            return result;
        }
        catch (GatewayException exception)
        {
            if (FailureClassifier.CountsAsFailure(exception) && state.FirstFailureOf(endpoint))
            {
                // One request's retries are one verdict on the endpoint, not three.
                endpoint.Breaker.RecordFailure();
            }
            else if (FailureClassifier.CountsAsFailure(exception) || FailureClassifier.IsLocalFailure(exception) ||
                     exception.Kind == GatewayErrorKind.RateLimit)
            {
                // Counted already, nothing reached the endpoint, or backpressure from a healthy endpoint: no new verdict.
                endpoint.Breaker.ReleaseProbe();
            }
            else
            {
                // The endpoint answered; the request itself was at fault.
                endpoint.Breaker.RecordSuccess();
            }

            throw;
        }
        catch
        {
            endpoint.Breaker.ReleaseProbe();
            throw;
        }
        finally
        {
            attempt.EndLease();
        }
    }

    private bool ShouldRetry(Exception? exception, RetryState? state, int attemptNumber, CancellationToken cancellationToken)
    {
        if (exception is not GatewayException gateway || !FailureClassifier.IsRetryable(gateway) || cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        var delay = Backoff(attemptNumber);
        if (gateway.RetryAfter is { } retryAfter && retryAfter > delay)
        {
            delay = retryAfter;
        }

        // Never sleep past the budget: a retry that cannot start in time is not made (the fallback comes next).
        if (state is null || _time.GetUtcNow() + delay > state.Deadline)
        {
            return false;
        }

        state.NextDelay = delay;
        return true;
    }

    /// <summary>Exponential backoff with jitter: 50–100 % of min(MaxDelay, BaseDelay·2^attempt).</summary>
    private TimeSpan Backoff(int attemptNumber)
    {
        var ceiling = Math.Min(_options.MaxDelay.TotalMilliseconds, _options.BaseDelay.TotalMilliseconds * Math.Pow(2, attemptNumber));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    private sealed class RetryState(DateTimeOffset deadline)
    {
        private List<ProviderEndpoint>? _failed;

        public DateTimeOffset Deadline { get; } = deadline;

        public TimeSpan NextDelay { get; set; }

        /// <summary>True the first time this request fails on <paramref name="endpoint"/>.</summary>
        public bool FirstFailureOf(ProviderEndpoint endpoint)
        {
            _failed ??= [];
            if (_failed.Contains(endpoint))
            {
                return false;
            }

            _failed.Add(endpoint);
            return true;
        }
    }
}
