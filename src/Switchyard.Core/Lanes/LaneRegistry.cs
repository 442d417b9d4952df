using Switchyard.Providers;

namespace Switchyard.Lanes;

/// <summary>The lanes the gateway serves, found by (client format, upstream format, operation).</summary>
public sealed class LaneRegistry
{
    private readonly ILane[] _lanes;

    /// <summary>Creates the registry.</summary>
    public LaneRegistry(IEnumerable<ILane> lanes)
    {
        ArgumentNullException.ThrowIfNull(lanes);
        _lanes = [.. lanes];
    }

    /// <summary>Every lane.</summary>
    public IReadOnlyList<ILane> All => _lanes;

    /// <summary>The lane for the pair and operation, or null when none serves it.</summary>
    public ILane? Find(ClientFormat client, ProviderKind upstream, LaneOperation operation)
    {
        foreach (var lane in _lanes)
        {
            if (lane.Client == client && lane.Upstream == upstream && lane.Supports(operation))
            {
                return lane;
            }
        }

        return null;
    }

    /// <summary>The lane of type <typeparamref name="T"/>.</summary>
    public T Get<T>()
        where T : ILane => _lanes.OfType<T>().First();
}
