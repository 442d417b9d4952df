using System.Globalization;
using Switchyard.Lanes.Relay;
using Switchyard.Models;
using Switchyard.Translation;
using Switchyard.Translation.StructuredOutput;

namespace Switchyard.Lanes.Outcome;

/// <summary>
/// The <c>x-switchyard-*</c> response headers, written from the outcome in one place: which model and provider serve
/// (and whether the name was mapped), the route, thinking turned off, restored reasoning, retries. Called when the lane
/// has prepared the request and again when a target accepted it (a fallback changes the answer), never after the
/// response started.
/// </summary>
public static class OutcomeHeaders
{
    /// <summary>Writes the headers of <paramref name="outcome"/> to <paramref name="response"/>.</summary>
    public static void Apply(LaneOutcome outcome, IClientResponse response)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(response);
        if (response.HasStarted)
        {
            return;
        }

        if (outcome.Model is { } model)
        {
            response.SetHeader("x-switchyard-model", model.Model.Id);
            response.SetHeader("x-switchyard-model-remapped", model.Remap switch
            {
                ModelRemap.None => null,
                ModelRemap.Alias => "alias",
                ModelRemap.Route => "route",
                _ => "default",
            });
        }

        response.SetHeader("x-switchyard-provider", outcome.Provider);
        response.SetHeader("x-switchyard-route", outcome.Route);
        response.SetHeader("x-switchyard-thinking", outcome.Thinking switch
        {
            ThinkingFallback.ForcedToolChoice => "disabled-for-forced-tool-choice",
            ThinkingFallback.UnsignedToolLoop => "disabled-for-unsigned-tool-loop",
            ThinkingFallback.StructuredOutput => "disabled-for-structured-output",
            _ => null,
        });
        response.SetHeader("x-switchyard-structured-output", outcome.StructuredOutput switch
        {
            StructuredOutputMode.StrictTool => "strict-tool",
            StructuredOutputMode.ForcedTool => "forced-tool",
            StructuredOutputMode.JsonMode => "json-mode",
            _ => null,
        });
        response.SetHeader("x-switchyard-reasoning-restored", outcome.RestoredReasoning > 0 ? Count(outcome.RestoredReasoning) : null);
        response.SetHeader("x-switchyard-retries", outcome.Attempts.Retries > 0 ? Count(outcome.Attempts.Retries) : null);
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
