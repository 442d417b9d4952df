namespace Switchyard.Tests.Lanes.Contract;

/// <summary>A harness without retries or fallbacks: upstream failures reach the client as they are.</summary>
public sealed class PlainLaneFixture : IAsyncLifetime
{
    public LaneHarness Harness { get; private set; } = null!;

    public async Task InitializeAsync() => Harness = await LaneHarness.StartAsync(resilient: false);

    public async Task DisposeAsync() => await Harness.DisposeAsync();
}

/// <summary>A harness with one retry per target and a fallback target of the same format on every route.</summary>
public sealed class ResilientLaneFixture : IAsyncLifetime
{
    public LaneHarness Harness { get; private set; } = null!;

    public async Task InitializeAsync() => Harness = await LaneHarness.StartAsync(resilient: true);

    public async Task DisposeAsync() => await Harness.DisposeAsync();
}
