using Switchyard.Compatibility;
using Switchyard.Errors;
using Switchyard.Providers;

namespace Switchyard.Lanes;

/// <summary>
/// One (client format, upstream format) pair. The <see cref="LaneRunner"/> runs every lane through the same stages:
/// read and prepare (this lane, against its compatibility table), route, send (the one executor), relay (this lane, on
/// the shared upstream reader and client writer), outcome (one recorder).
/// </summary>
public interface ILane
{
    /// <summary>The lane's name, e.g. <c>messages→chat</c>.</summary>
    string Name { get; }

    /// <summary>The format of the clients it serves.</summary>
    ClientFormat Client { get; }

    /// <summary>The format of the upstreams it sends to.</summary>
    ProviderKind Upstream { get; }

    /// <summary>What it honours, ignores and rejects, and why.</summary>
    CompatibilityTable Table { get; }

    /// <summary>Whether it serves <paramref name="operation"/>.</summary>
    bool Supports(LaneOperation operation);

    /// <summary>
    /// Reads the request against the lane's table and prepares it for <paramref name="target"/>.
    /// </summary>
    /// <exception cref="GatewayException">The request cannot be served on this lane (400 in the client's format).</exception>
    LanePlan Prepare(LaneRequest request, Routing.ResolvedTarget target);

    /// <summary>
    /// Relays the accepted <paramref name="upstream"/> response (null when the plan has no upstream request) to the
    /// client, and fills in the outcome, which it records right before the last bytes.
    /// </summary>
    Task RelayAsync(LaneCall call, LanePlan plan, UpstreamResponse? upstream);

    /// <summary>
    /// Writes a final upstream failure the lane's own way (passthrough lanes relay the upstream's answer as it was);
    /// false leaves it to the caller, which writes the error in the client's format.
    /// </summary>
    ValueTask<bool> TryWriteFailureAsync(LaneCall call, GatewayException error) => ValueTask.FromResult(false);
}
