using Switchyard.Accounting;
using Switchyard.Compatibility;
using Switchyard.Errors;
using Switchyard.Models;
using Switchyard.Resilience;
using Switchyard.Translation;

namespace Switchyard.Lanes.Outcome;

/// <summary>
/// How one request was served, filled in by the lane stages as they run: what was asked and what served it, the
/// decisions taken on the way, the attempts, the usage and stop reason in the client's terms, and the error if any.
/// The ledger, metrics, logs and the <c>x-switchyard-*</c> response headers are all written from it
/// (<see cref="IOutcomeRecorder"/>, <see cref="OutcomeHeaders"/>).
/// </summary>
public sealed class LaneOutcome
{
    private List<string>? _notes;

    /// <summary>The lane that served (e.g. <c>messages→chat</c>).</summary>
    public string? Lane { get; set; }

    /// <summary>The route that matched, if any.</summary>
    public string? Route { get; set; }

    /// <summary>How the model name was resolved for the target that serves (or will serve).</summary>
    public ModelResolution? Model { get; set; }

    /// <summary>The provider that serves.</summary>
    public string? Provider { get; set; }

    /// <summary>Whether the client asked for a stream.</summary>
    public bool Stream { get; set; }

    /// <summary>Thinking the client asked for that was turned off, and why.</summary>
    public ThinkingFallback Thinking { get; set; }

    /// <summary>How a requested JSON schema is asked of the upstream, when the client asked for structured output.</summary>
    public Translation.StructuredOutput.StructuredOutputMode? StructuredOutput { get; set; }

    /// <summary>Assistant turns whose dropped reasoning the reasoning memory put back.</summary>
    public int RestoredReasoning { get; set; }

    /// <summary>Upstream attempts, fallbacks and continuations.</summary>
    public AttemptReport Attempts { get; } = new();

    /// <summary>The usage the client was told, once known.</summary>
    public TokenUsage? Usage { get; set; }

    /// <summary>The stop or finish reason the client was told, in its own format's terms.</summary>
    public string? StopReason { get; set; }

    /// <summary>The error that ended the request or its stream, if any.</summary>
    public GatewayException? Error { get; set; }

    /// <summary>True when the stream was cut by Switchyard (shutdown drain), not ended by the upstream.</summary>
    public bool Cut { get; set; }

    /// <summary>What the lane changed or dropped, and why (for the request detail; never message content).</summary>
    public IReadOnlyList<string> Notes => (IReadOnlyList<string>?)_notes ?? [];

    /// <summary>Adds a note on what was changed or dropped.</summary>
    public void Note(string note)
    {
        ArgumentNullException.ThrowIfNull(note);
        (_notes ??= []).Add(note);
    }

    /// <summary>Notes each of <paramref name="fields"/>, top-level fields the lane's <paramref name="table"/> ignores, with the table's reason.</summary>
    public void NoteDropped(CompatibilityTable table, IEnumerable<string> fields)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var name in fields)
        {
            Note($"{name}: dropped ({table.Lookup(CompatibilityScope.Field, name).Note})");
        }
    }
}
