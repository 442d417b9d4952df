using Switchyard.Compatibility;
using Switchyard.Lanes.Outcome;

namespace Switchyard.Tests.Lanes.Outcome;

public sealed class LaneOutcomeTests
{
    [Fact]
    public void Dropped_fields_are_noted_with_the_tables_reason()
    {
        var outcome = new LaneOutcome();
        outcome.NoteDropped(CompatibilityTables.ChatToMessages, ["seed", "some_future_field"]);
        Assert.Equal(["seed: dropped (Anthropic has no seed.)", "some_future_field: dropped (Other fields are not forwarded.)"], outcome.Notes);
    }
}
