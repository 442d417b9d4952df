using System.Text.Json;
using Json.Schema;

namespace Switchyard.Translation.StructuredOutput;

/// <summary>Checks a JSON text against a JSON Schema (JsonSchema.Net), listing what is wrong where.</summary>
public static class SchemaValidator
{
    /// <summary>
    /// The problems of <paramref name="json"/> against <paramref name="schema"/>: empty when it is a valid instance,
    /// one entry when it is not JSON at all, else one per failing location (at most 20).
    /// </summary>
    public static IReadOnlyList<string> Problems(JsonElement schema, string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return ["the answer is empty, not a JSON value"];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            return [$"the answer is not valid JSON ({exception.Message})"];
        }

        using (document)
        {
            JsonSchema compiled;
            try
            {
                compiled = JsonSchema.Build(schema, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
            }
            catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException or FormatException or NotSupportedException or RefResolutionException)
            {
                // A schema the validator cannot read is not the client's answer's fault: it is passed unchecked.
                return [];
            }

            var result = compiled.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (result.IsValid)
            {
                return [];
            }

            var problems = new List<string>();
            foreach (var detail in (result.Details ?? []).Prepend(result))
            {
                if (detail.Errors is { Count: > 0 } errors)
                {
                    var at = detail.InstanceLocation.ToString();
                    problems.AddRange(errors.Select(e => $"{(at.Length == 0 ? "/" : at)}: {e.Value}"));
                }
            }

            return problems.Count == 0 ? ["the answer does not match the schema"] : [.. problems.Distinct().Take(20)];
        }
    }
}
