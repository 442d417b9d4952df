using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Keys;
using Switchyard.Platform;
using Switchyard.Tests.Infrastructure;
using Switchyard.Translation;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Translation;

/// <summary>
/// DeepSeek isolates its prefix cache per user_id. Claude Code sends a new session id in every conversation, so passing
/// it on loses the cached system prompt and tools each time; sending none would let tenants share (and time) one cache.
/// By default the user_id is one opaque id per client key.
/// </summary>
public sealed class UserIdPolicyTests
{
    [Fact]
    public void Ids_are_opaque_stable_and_follow_the_mode()
    {
        var secret = new byte[32];
        var perKey = new UserIdPolicy(UserIdMode.PerKey, secret);
        Assert.Equal(perKey.For("key_1", "session-a"), perKey.For("key_1", "session-b"));
        Assert.NotEqual(perKey.For("key_1", null), perKey.For("key_2", null));
        Assert.Matches("^sy_[0-9a-f]{32}$", perKey.For("key_1", null)!);
        Assert.DoesNotContain("key_1", perKey.For("key_1", null)!, StringComparison.Ordinal);
        Assert.NotEqual(perKey.For("key_1", null), new UserIdPolicy(UserIdMode.PerKey, new byte[32] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }).For("key_1", null));

        var perUser = new UserIdPolicy(UserIdMode.PerKeyAndClient, secret);
        Assert.NotEqual(perUser.For("key_1", "alice"), perUser.For("key_1", "bob"));
        Assert.Equal(perKey.For("key_1", null), perUser.For("key_1", null));

        var passThrough = new UserIdPolicy(UserIdMode.PassThrough, secret);
        Assert.Equal("a_b", passThrough.For("key_1", "a b"));
        Assert.Null(passThrough.For("key_1", null));
    }

    [Fact]
    public async Task A_second_conversation_of_one_key_hits_the_cached_prompt_and_another_key_does_not()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.SimulatePrefixCache = true;
        var keys = host.Services.GetRequiredService<PlatformRuntime>().Keys;
        var teamA = (await keys.CreateAsync(new NewKey { Name = "team-a" })).Secret;
        var teamB = (await keys.CreateAsync(new NewKey { Name = "team-b" })).Secret;

        var first = await ConversationAsync(host, teamA, "session-1", "What does main.cs do?");
        var second = await ConversationAsync(host, teamA, "session-2", "Fix the failing test.");
        var other = await ConversationAsync(host, teamB, "session-3", "What does main.cs do?");

        Assert.Equal(0, first);
        Assert.True(second >= 1024, $"The second conversation read {second} cached tokens.");
        Assert.Equal(0, other);
    }

    /// <summary>A Claude Code-like first turn: a long system prompt and tools shared by every conversation; returns cache reads.</summary>
    private static async Task<int> ConversationAsync(GatewayHost host, string key, string session, string question)
    {
        var body = new JsonObject
        {
            ["model"] = "deepseek-v4-flash",
            ["max_tokens"] = 100,
            ["system"] = string.Concat(Enumerable.Repeat("You are an interactive CLI tool that helps users with software engineering tasks. ", 80)),
            ["tools"] = JsonNode.Parse("""[{"name":"Read","description":"Reads a file from the local filesystem.","input_schema":{"type":"object","properties":{"file_path":{"type":"string"}},"required":["file_path"]}}]"""),
            ["metadata"] = new JsonObject { ["user_id"] = "user_abc_account_def_session_" + session },
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = question }),
        };
        var answer = await PostJsonAsync(host, "/v1/messages", body, new Dictionary<string, string> { ["x-api-key"] = key });
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return JsonNode.Parse(answer.Body)!["usage"]!["cache_read_input_tokens"]!.GetValue<int>();
    }
}
