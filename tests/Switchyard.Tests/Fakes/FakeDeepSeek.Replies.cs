using System.Text.Json.Nodes;

namespace Switchyard.Tests.Fakes;

// Completion generation: non-streaming bodies and SSE frames (doc §3, §4, §6).
public sealed partial class FakeDeepSeek
{
    private const string Fingerprint = "fp_fake";

    private sealed record PlannedCall(string Id, string Name, string Arguments);

    private sealed record ChatPlan(
        string Id, long Created, string Model, string? Reasoning, string Content,
        IReadOnlyList<PlannedCall> Calls, string FinishReason, JsonObject Usage);

    private async Task ChatAsync(Call call, string body, bool beta)
    {
        JsonObject req;
        ChatInfo info;
        try
        {
            req = ParseObject(body);
            info = ValidateChat(req, beta);
        }
        catch (BadRequestException e)
        {
            await WriteErrorAsync(call, 400, e.Message, "invalid_request_error");
            return;
        }

        var reply = NextReply(req);
        if (reply.StallBeforeFirstByte is { } stall) await DelayAsync(stall, call.Ct);
        if (reply.ErrorStatus is { } status)
        {
            await WriteScriptedErrorAsync(call, reply, status);
            return;
        }

        if (SimulatePrefixCache && reply.CacheHitTokens is null)
        {
            reply = reply with { CacheHitTokens = PrefixCacheHit(req) };
        }

        var plan = PlanChat(info, reply);
        if (info.Stream)
            await StreamFramesAsync(call, reply, ChatFrames(plan, reply, info.IncludeUsage));
        else
            await WriteBodyAsync(call, reply, ChatBody(plan));
    }

    private static ChatPlan PlanChat(ChatInfo info, FakeReply reply)
    {
        var userText = Truncate(info.LastUserText, 200);
        var reasoning = reply.Reasoning ?? (info.Thinking ? "Let me think about: " + userText : null);
        var content = reply.Content ?? (reply.ToolCalls.Count > 0 ? "" : "Hello from fake DeepSeek: " + userText);
        var finish = reply.ToolCalls.Count > 0 ? "tool_calls" : "stop";
        ApplyStop(ref content, info.Stop);

        var reasoningTokens = Tokens(reasoning?.Length ?? 0);
        if (info.MaxTokens is { } mt && mt < reasoningTokens + Tokens(content.Length))
        {
            // Reasoning is generated first, so it eats the budget first (doc §1 max_tokens).
            var budgetChars = (int)Math.Min(int.MaxValue / 2, mt * 4);
            if (reasoning is not null) reasoning = Truncate(reasoning, budgetChars);
            content = Truncate(content, Math.Max(0, budgetChars - (reasoning?.Length ?? 0)));
            finish = "length";
        }
        finish = reply.FinishReason ?? finish;

        var calls = reply.ToolCalls
            .Select((c, i) => new PlannedCall(c.Id ?? $"call_{i:00}_{RandomSuffix(24)}", c.Name, c.ArgumentsJson))
            .ToList();
        var completionChars = (reasoning?.Length ?? 0) + content.Length + calls.Sum(c => c.Arguments.Length);
        var usage = Usage(reply, info.PromptChars, completionChars, reasoning?.Length);
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new ChatPlan(NewId(), created, reply.Model ?? info.Model, reasoning, content, calls, finish, usage);
    }

    private static JsonObject Usage(FakeReply reply, int promptChars, int completionChars, int? reasoningChars)
    {
        var prompt = reply.PromptTokens ?? Tokens(promptChars) + 10;
        var hit = Math.Clamp(reply.CacheHitTokens ?? 0, 0, prompt);
        var completion = reply.CompletionTokens ?? Math.Max(1, Tokens(completionChars));
        var usage = new JsonObject
        {
            ["prompt_tokens"] = prompt,
            ["completion_tokens"] = completion,
            ["total_tokens"] = prompt + completion,
            ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = hit },
        };
        if (reasoningChars is not null || reply.ReasoningTokens is not null)
            usage["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = reply.ReasoningTokens ?? Tokens(reasoningChars ?? 0) };
        usage["prompt_cache_hit_tokens"] = hit;
        usage["prompt_cache_miss_tokens"] = prompt - hit;
        return usage;
    }

    private static JsonObject ChatBody(ChatPlan p)
    {
        var message = new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = p.Content.Length == 0 && p.Calls.Count > 0 ? null : p.Content,
        };
        if (p.Reasoning is not null) message["reasoning_content"] = p.Reasoning;
        if (p.Calls.Count > 0)
        {
            message["tool_calls"] = new JsonArray(p.Calls.Select((c, i) => (JsonNode)new JsonObject
            {
                ["index"] = i,
                ["id"] = c.Id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments },
            }).ToArray());
        }
        return new JsonObject
        {
            ["id"] = p.Id,
            ["object"] = "chat.completion",
            ["created"] = p.Created,
            ["model"] = p.Model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["logprobs"] = null,
                ["finish_reason"] = p.FinishReason,
            }),
            ["usage"] = p.Usage,
            ["system_fingerprint"] = Fingerprint,
        };
    }

    private static List<JsonObject> ChatFrames(ChatPlan p, FakeReply reply, bool includeUsage)
    {
        var frames = new List<JsonObject>();
        var thinking = p.Reasoning is not null;

        JsonObject Chunk(JsonObject delta, string? finish = null, JsonObject? usage = null)
        {
            var o = new JsonObject
            {
                ["id"] = p.Id,
                ["object"] = "chat.completion.chunk",
                ["created"] = p.Created,
                ["model"] = p.Model,
                ["system_fingerprint"] = Fingerprint,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["delta"] = delta,
                    ["logprobs"] = null,
                    ["finish_reason"] = finish,
                }),
            };
            if (usage is not null) o["usage"] = usage;
            else if (includeUsage) o["usage"] = null;
            return o;
        }

        var first = new JsonObject { ["role"] = "assistant", ["content"] = "" };
        if (thinking) first["reasoning_content"] = "";
        frames.Add(Chunk(first));

        if (p.Reasoning is not null)
        {
            foreach (var f in Fragments(p.Reasoning, reply.ChunkSize))
                frames.Add(Chunk(new JsonObject { ["content"] = null, ["reasoning_content"] = f }));
        }
        foreach (var f in Fragments(p.Content, reply.ChunkSize))
        {
            var d = new JsonObject { ["content"] = f };
            if (thinking) d["reasoning_content"] = null;
            frames.Add(Chunk(d));
        }

        JsonObject Header(int i) => Chunk(new JsonObject
        {
            ["tool_calls"] = new JsonArray(new JsonObject
            {
                ["index"] = i,
                ["id"] = p.Calls[i].Id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = p.Calls[i].Name, ["arguments"] = "" },
            }),
        });
        JsonObject Args(int i, string fragment) => Chunk(new JsonObject
        {
            ["tool_calls"] = new JsonArray(new JsonObject
            {
                ["index"] = i,
                ["function"] = new JsonObject { ["arguments"] = fragment },
            }),
        });

        var argFrags = p.Calls.Select(c => Fragments(c.Arguments, reply.ChunkSize)).ToList();
        if (reply.ToolCallInterleave)
        {
            for (var i = 0; i < p.Calls.Count; i++) frames.Add(Header(i));
            var rounds = argFrags.Count == 0 ? 0 : argFrags.Max(a => a.Count);
            for (var r = 0; r < rounds; r++)
            {
                for (var i = 0; i < p.Calls.Count; i++)
                {
                    if (r < argFrags[i].Count) frames.Add(Args(i, argFrags[i][r]));
                }
            }
        }
        else
        {
            for (var i = 0; i < p.Calls.Count; i++)
            {
                frames.Add(Header(i));
                foreach (var f in argFrags[i]) frames.Add(Args(i, f));
            }
        }

        // Last chunk: one choice, empty delta, finish_reason, and usage (always, doc §4).
        frames.Add(Chunk(new JsonObject(), p.FinishReason, p.Usage));
        return frames;
    }

    /// <summary>Non-streaming 200: keep-alive blank lines, then the JSON body (or a malformed / cut body).</summary>
    private static async Task WriteBodyAsync(Call call, FakeReply reply, JsonObject body)
    {
        var res = call.Http.Response;
        res.StatusCode = 200;
        res.ContentType = "application/json";
        ApplyHeaders(res, reply);
        for (var k = 0; k < reply.KeepAliveCount; k++)
        {
            if (k > 0) await DelayAsync(reply.ChunkDelay, call.Ct);
            await WriteFlushAsync(call, "\n");
        }
        if (reply.KeepAliveCount > 0) await DelayAsync(reply.ChunkDelay, call.Ct);
        if (reply.MalformedChunkAfter is not null)
        {
            await WriteFlushAsync(call, "{not json");
            return;
        }
        var json = body.ToJsonString(JsonOut);
        if (reply.CutAfterChunks is not null)
        {
            await WriteFlushAsync(call, json[..(json.Length / 2)]);
            await AbortAsync(call);
            return;
        }
        await WriteFlushAsync(call, json);
    }

    /// <summary>Streaming 200: keep-alive comments, data frames (with delay / malformed / cut), then [DONE].</summary>
    private static async Task StreamFramesAsync(Call call, FakeReply reply, List<JsonObject> frames)
    {
        var res = call.Http.Response;
        res.StatusCode = 200;
        res.ContentType = "text/event-stream; charset=utf-8";
        res.Headers.CacheControl = "no-cache";
        ApplyHeaders(res, reply);
        for (var k = 0; k < reply.KeepAliveCount; k++)
        {
            if (k > 0) await DelayAsync(reply.ChunkDelay, call.Ct);
            await WriteFlushAsync(call, ": keep-alive\n\n");
        }
        for (var i = 0; i <= frames.Count; i++)
        {
            if (reply.MalformedChunkAfter == i) await WriteFlushAsync(call, "data: {not json\n\n");
            if (reply.CutAfterChunks == i)
            {
                await AbortAsync(call);
                return;
            }
            if (i == frames.Count) break;
            if (i > 0 || reply.KeepAliveCount > 0) await DelayAsync(reply.ChunkDelay, call.Ct);
            await WriteFlushAsync(call, "data: " + frames[i].ToJsonString(JsonOut) + "\n\n");
        }
        await WriteFlushAsync(call, "data: [DONE]\n\n");
    }

    // ---------- FIM (POST /beta/completions) ----------

    private async Task FimAsync(Call call, string body)
    {
        JsonObject req;
        FimInfo info;
        try
        {
            req = ParseObject(body);
            info = ValidateFim(req);
        }
        catch (BadRequestException e)
        {
            await WriteErrorAsync(call, 400, e.Message, "invalid_request_error");
            return;
        }

        var reply = NextReply(req);
        if (reply.StallBeforeFirstByte is { } stall) await DelayAsync(stall, call.Ct);
        if (reply.ErrorStatus is { } status)
        {
            await WriteScriptedErrorAsync(call, reply, status);
            return;
        }

        var promptTail = info.Prompt.Length <= 20 ? info.Prompt : info.Prompt[^20..];
        var text = reply.Content ?? $"fim:{promptTail}|{Truncate(info.Suffix ?? "", 20)}";
        var finish = "stop";
        ApplyStop(ref text, info.Stop);
        if (info.MaxTokens is { } mt && mt < Tokens(text.Length))
        {
            text = Truncate(text, (int)(mt * 4));
            finish = "length";
        }
        finish = reply.FinishReason ?? finish;
        var usage = Usage(reply, info.Prompt.Length + (info.Suffix?.Length ?? 0), text.Length, null);
        if (info.Echo) text = info.Prompt + text;
        var id = NewId();
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var model = reply.Model ?? info.Model;

        JsonObject Obj(string t, string? fin, JsonObject? u, bool stream)
        {
            var o = new JsonObject
            {
                ["id"] = id,
                ["object"] = "text_completion",
                ["created"] = created,
                ["model"] = model,
                ["system_fingerprint"] = Fingerprint,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["text"] = t,
                    ["index"] = 0,
                    ["logprobs"] = null,
                    ["finish_reason"] = fin,
                }),
            };
            if (u is not null) o["usage"] = u;
            else if (stream && info.IncludeUsage) o["usage"] = null;
            return o;
        }

        if (info.Stream)
        {
            var frames = Fragments(text, reply.ChunkSize).Select(f => Obj(f, null, null, true)).ToList();
            frames.Add(Obj("", finish, usage, true));
            await StreamFramesAsync(call, reply, frames);
        }
        else
        {
            await WriteBodyAsync(call, reply, Obj(text, finish, usage, false));
        }
    }
}
