using Switchyard.Errors;
using Switchyard.Lanes.Outcome;
using Switchyard.Providers;
using Switchyard.Resilience;
using Switchyard.Routing;

namespace Switchyard.Lanes;

/// <summary>
/// Runs a request through the stages every lane shares: route (the <see cref="Router"/>), read and prepare (the
/// lane, against its table), admit, send (the one <see cref="UpstreamExecutor"/>: endpoint lease, retries, fallbacks,
/// circuit breakers), relay (the lane, on the shared upstream reader and client writer), and the outcome (written by
/// the call's recorder; its headers by <see cref="OutcomeHeaders"/>).
/// </summary>
public sealed class LaneRunner
{
    private readonly Router _router;
    private readonly UpstreamExecutor _executor;
    private readonly LaneRegistry _lanes;
    private readonly Func<LaneRequest, RequestNeeds> _needs;

    /// <summary>Creates the runner; <paramref name="needs"/> reads what a request needs for routing.</summary>
    public LaneRunner(Router router, UpstreamExecutor executor, LaneRegistry lanes, Func<LaneRequest, RequestNeeds> needs)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(lanes);
        ArgumentNullException.ThrowIfNull(needs);
        _router = router;
        _executor = executor;
        _lanes = lanes;
        _needs = needs;
    }

    /// <summary>The lanes.</summary>
    public LaneRegistry Lanes => _lanes;

    /// <summary>Serves <paramref name="call"/>. Failures before the response started are thrown for the caller to write in the client's format.</summary>
    public async Task RunAsync(LaneCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var request = call.Request;
        var outcome = call.Outcome;
        var decision = _router.Decide(_needs(request));
        outcome.Route = decision.Route;
        outcome.Stream = request.Operation != LaneOperation.CountTokens && request.Stream;
        var targets = decision.Targets.Where(t => LaneOf(request, t) is not null).ToList();
        if (targets.Count == 0)
        {
            throw GatewayException.Invalid(
                $"No provider of {(decision.Route is { } route ? $"route '{route}'" : $"model '{decision.Primary.Model.Model.Id}'")} can serve this request " +
                $"(provider '{decision.Primary.Provider.Name}' speaks the {decision.Primary.Provider.Kind} format, which has no lane for it).", "model");
        }

        call.Targets = targets;
        var primary = targets[0];
        var lane = LaneOf(request, primary)!;
        var first = lane.Prepare(request, primary);
        Describe(outcome, lane, first);
        OutcomeHeaders.Apply(outcome, call.Response);
        await call.AdmitAsync(first.Target.Model.Model.Id, call.Aborted);
        if (first.Upstream is null)
        {
            await lane.RelayAsync(call, first, null);
            return;
        }

        var last = lane;
        (ILane Lane, LanePlan Plan, UpstreamResponse Response) accepted;
        try
        {
            accepted = await _executor.ExecuteAsync(targets, async (attempt, ct) =>
            {
                var attemptLane = LaneOf(request, attempt.Target)!;
                last = attemptLane;
                var plan = ReferenceEquals(attempt.Target, primary) ? first : attemptLane.Prepare(request, attempt.Target);
                var response = await attempt.Endpoint.Client.SendAsync(plan.Upstream!, ct);
                try
                {
                    if (!plan.Upstream!.Stream)
                    {
                        // A JSON answer is read while a retry is still possible: it may say the upstream gave up.
                        var body = await response.ReadBodyAsync(ct);
                        if (plan.CheckBody?.Invoke(body) is { } failure)
                        {
                            throw failure;
                        }
                    }
                }
                catch
                {
                    await response.DisposeAsync();
                    throw;
                }

                response.Attach(attempt.KeepLease());
                return (attemptLane, plan, response);
            }, outcome.Attempts, call.Aborted);
        }
        catch (GatewayException error) when (!call.Response.HasStarted && !call.Aborted.IsCancellationRequested)
        {
            var explained = first.ExplainFailure?.Invoke(error) ?? error;
            outcome.Error = explained;
            if (await last.TryWriteFailureAsync(call, explained))
            {
                return;
            }

            throw explained;
        }

        await using var upstream = accepted.Response;
        upstream.StopOn(call.Drain);
        Describe(outcome, accepted.Lane, accepted.Plan);
        OutcomeHeaders.Apply(outcome, call.Response);
        await accepted.Lane.RelayAsync(call, accepted.Plan, upstream);
    }

    private ILane? LaneOf(LaneRequest request, ResolvedTarget target) => _lanes.Find(request.Format, target.Provider.Kind, request.Operation);

    private static void Describe(LaneOutcome outcome, ILane lane, LanePlan plan)
    {
        outcome.Lane = lane.Name;
        outcome.Model = plan.Target.Model;
        outcome.Provider = plan.Target.Provider.Name;
        outcome.Thinking = plan.Thinking;
        outcome.RestoredReasoning = plan.RestoredReasoning;
        outcome.StructuredOutput = plan.StructuredOutput?.Mode;
    }
}
