using System.Text.Json;

namespace Switchyard.Tests.ResponsesApi;

/// <summary>
/// The Responses stream grammar as the official SDKs enforce it (openai-node's ResponseStream accumulator), plus
/// Switchyard's own guarantee that items never interleave. Returns the violations; empty means valid.
/// </summary>
internal static class ResponsesStreamGrammar
{
    private static readonly string[] Terminal = ["response.completed", "response.incomplete", "response.failed"];

    public static List<string> Validate(IReadOnlyList<JsonElement> events)
    {
        var violations = new List<string>();
        var items = new List<(string Id, string Type, int Parts, int Summaries, bool Done)>();
        int? open = null;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var type = e.GetProperty("type").GetString()!;
            void Fail(string why) => violations.Add($"event {i} ({type}): {why}");
            if (!e.TryGetProperty("sequence_number", out var sequence) || sequence.GetInt32() != i)
            {
                Fail($"sequence_number should be {i}");
            }

            if (i == 0 && type != "response.created")
            {
                Fail("the first event must be response.created");
            }

            if (i == 1 && type != "response.in_progress")
            {
                Fail("the second event must be response.in_progress");
            }

            if (type.StartsWith("response.", StringComparison.Ordinal) && e.TryGetProperty("response", out var response))
            {
                if (!response.TryGetProperty("output", out var output) || output.ValueKind != JsonValueKind.Array)
                {
                    Fail("a lifecycle event needs response.output");
                }
                else if (Terminal.Contains(type))
                {
                    if (i != events.Count - 1)
                    {
                        Fail("a terminal event must be the last");
                    }

                    var ids = output.EnumerateArray().Select(o => o.GetProperty("id").GetString()).ToList();
                    if (type != "response.failed" && (!ids.SequenceEqual(items.Select(x => x.Id)) || items.Any(x => !x.Done)))
                    {
                        Fail("the final output must list every added item, all done");
                    }
                }

                continue;
            }

            if (type == "error")
            {
                if (i + 1 >= events.Count || events[i + 1].GetProperty("type").GetString() != "response.failed")
                {
                    Fail("error must be followed by response.failed");
                }

                continue;
            }

            var index = e.GetProperty("output_index").GetInt32();
            if (type == "response.output_item.added")
            {
                var item = e.GetProperty("item");
                if (index != items.Count)
                {
                    Fail($"output_index {index} does not append to {items.Count} items");
                }

                if (open is not null)
                {
                    Fail($"item {open} is still open");
                }

                var itemType = item.GetProperty("type").GetString()!;
                if (itemType is "function_call" or "custom_tool_call" && !item.TryGetProperty("call_id", out _))
                {
                    Fail("a call item needs call_id");
                }

                items.Add((item.GetProperty("id").GetString()!, itemType, 0, 0, false));
                open = index;
                continue;
            }

            if (index >= items.Count || items[index].Done)
            {
                Fail($"output_index {index} is not an open item");
                continue;
            }

            var current = items[index];
            if (type == "response.output_item.done")
            {
                if (e.GetProperty("item").GetProperty("id").GetString() != current.Id)
                {
                    Fail("output_item.done changed the item id");
                }

                items[index] = current with { Done = true };
                open = null;
                continue;
            }

            if (e.GetProperty("item_id").GetString() != current.Id)
            {
                Fail($"item_id does not match item {index}");
            }

            switch (type)
            {
                case "response.content_part.added":
                    if (e.GetProperty("content_index").GetInt32() != current.Parts)
                    {
                        Fail("content_index does not append");
                    }

                    items[index] = current with { Parts = current.Parts + 1 };
                    break;
                case "response.reasoning_summary_part.added":
                    if (e.GetProperty("summary_index").GetInt32() != current.Summaries)
                    {
                        Fail("summary_index does not append");
                    }

                    items[index] = current with { Summaries = current.Summaries + 1 };
                    break;
                case "response.output_text.delta" or "response.output_text.done" or "response.reasoning_text.delta" or "response.reasoning_text.done" or "response.content_part.done":
                    if (e.GetProperty("content_index").GetInt32() >= current.Parts)
                    {
                        Fail("content_index names no part");
                    }

                    break;
                case "response.reasoning_summary_text.delta" or "response.reasoning_summary_text.done" or "response.reasoning_summary_part.done":
                    if (e.GetProperty("summary_index").GetInt32() >= current.Summaries)
                    {
                        Fail("summary_index names no part");
                    }

                    break;
                case "response.function_call_arguments.delta" or "response.function_call_arguments.done":
                    if (current.Type != "function_call")
                    {
                        Fail("arguments events belong to function_call items");
                    }

                    break;
                case "response.custom_tool_call_input.delta" or "response.custom_tool_call_input.done":
                    if (current.Type != "custom_tool_call")
                    {
                        Fail("input events belong to custom_tool_call items");
                    }

                    break;
                default:
                    Fail("unexpected event type");
                    break;
            }
        }

        if (events.Count == 0 || !Terminal.Contains(events[^1].GetProperty("type").GetString()))
        {
            violations.Add("the stream must end with a terminal event");
        }

        return violations;
    }
}
