using Switchyard.Compatibility;
using Switchyard.Errors;
using Switchyard.Providers;
using Switchyard.Routing;

namespace Switchyard.Lanes;

/// <summary>A lane's identity (name, formats, table, operations), held once for the lanes that derive from it.</summary>
/// <param name="name">The lane's name, e.g. <c>messages→chat</c>.</param>
/// <param name="client">The format of the clients it serves.</param>
/// <param name="upstream">The format of the upstreams it sends to.</param>
/// <param name="table">What it honours, ignores and rejects.</param>
/// <param name="operations">What it serves.</param>
public abstract class Lane(string name, ClientFormat client, ProviderKind upstream, CompatibilityTable table, params LaneOperation[] operations) : ILane
{
    /// <inheritdoc />
    public string Name { get; } = name;

    /// <inheritdoc />
    public ClientFormat Client { get; } = client;

    /// <inheritdoc />
    public ProviderKind Upstream { get; } = upstream;

    /// <inheritdoc />
    public CompatibilityTable Table { get; } = table;

    /// <inheritdoc />
    public bool Supports(LaneOperation operation) => operations.Contains(operation);

    /// <inheritdoc />
    public abstract LanePlan Prepare(LaneRequest request, ResolvedTarget target);

    /// <inheritdoc />
    public abstract Task RelayAsync(LaneCall call, LanePlan plan, UpstreamResponse? upstream);

    /// <inheritdoc />
    public virtual ValueTask<bool> TryWriteFailureAsync(LaneCall call, GatewayException error) => ValueTask.FromResult(false);
}
