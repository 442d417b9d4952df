using System.Text.Json;
using Switchyard.Errors;
using Switchyard.OpenAI.Responses;
using Switchyard.Tests.Platform;

namespace Switchyard.Tests.ResponsesApi;

public sealed class ResponseStoreTests
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task A_chain_of_responses_rebuilds_its_conversation_in_order(string engine)
    {
        if (engine == "postgresql" && TestPostgres.Unavailable)
        {
            return;
        }

        await using var db = await TestDatabase.CreateAsync(engine);
        await using var runtime = await db.StartRuntimeAsync();
        var store = new ResponseStore(runtime.Database, new ResponsesOptions());

        await store.SaveAsync("key-a", Response("resp_1", null, "answer 1"), [User("q1")]);
        await store.SaveAsync("key-a", Response("resp_2", "resp_1", "answer 2"), [User("q2")]);
        await store.SaveAsync("key-a", Response("resp_3", "resp_2", "answer 3"), [User("q3")]);

        var conversation = await store.LoadConversationAsync("resp_3", "key-a");
        Assert.Equal(["q1", "answer 1", "q2", "answer 2", "q3", "answer 3"], conversation.Select(Text));

        // Input items get ids when stored, as OpenAI lists them.
        var input = Assert.Single((await store.GetInputItemsAsync("resp_2", "key-a"))!);
        Assert.StartsWith("msg_", input.Id, StringComparison.Ordinal);
        using var stored = JsonDocument.Parse((await store.GetJsonAsync("resp_2", "key-a"))!);
        Assert.Equal("resp_1", stored.RootElement.GetProperty("previous_response_id").GetString());
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Responses_belong_to_the_key_that_created_them_and_can_be_deleted(string engine)
    {
        if (engine == "postgresql" && TestPostgres.Unavailable)
        {
            return;
        }

        await using var db = await TestDatabase.CreateAsync(engine);
        await using var runtime = await db.StartRuntimeAsync();
        var store = new ResponseStore(runtime.Database, new ResponsesOptions());
        await store.SaveAsync("key-a", Response("resp_1", null, "a"), [User("q")]);

        Assert.Null(await store.GetJsonAsync("resp_1", "key-b"));
        Assert.Null(await store.GetInputItemsAsync("resp_1", ""));
        Assert.Equal(GatewayErrorKind.NotFound, (await Assert.ThrowsAsync<GatewayException>(() => store.LoadConversationAsync("resp_1", "key-b"))).Kind);
        Assert.False(await store.DeleteAsync("resp_1", "key-b"));

        Assert.True(await store.DeleteAsync("resp_1", "key-a"));
        Assert.Null(await store.GetJsonAsync("resp_1", "key-a"));
        Assert.False(await store.DeleteAsync("resp_1", "key-a"));
    }

    [Fact]
    public async Task A_chain_with_a_deleted_link_is_a_404_rather_than_a_shorter_conversation()
    {
        await using var db = await TestDatabase.CreateAsync("sqlite");
        await using var runtime = await db.StartRuntimeAsync();
        var store = new ResponseStore(runtime.Database, new ResponsesOptions());
        await store.SaveAsync("", Response("resp_1", null, "a"), [User("q1")]);
        await store.SaveAsync("", Response("resp_2", "resp_1", "b"), [User("q2")]);
        await store.DeleteAsync("resp_1", "");

        var error = await Assert.ThrowsAsync<GatewayException>(() => store.LoadConversationAsync("resp_2", ""));

        Assert.Equal(GatewayErrorKind.NotFound, error.Kind);
        Assert.Contains("resp_1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responses_expire_after_the_retention()
    {
        await using var db = await TestDatabase.CreateAsync("sqlite");
        await using var runtime = await db.StartRuntimeAsync();
        var time = new ManualTime { Now = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture) };
        var store = new ResponseStore(runtime.Database, new ResponsesOptions { Retention = TimeSpan.FromHours(1) }, time);
        await store.SaveAsync("", Response("resp_1", null, "a"), [User("q")]);

        time.Now += TimeSpan.FromMinutes(59);
        Assert.NotNull(await store.GetJsonAsync("resp_1", ""));
        time.Now += TimeSpan.FromMinutes(2);
        Assert.Null(await store.GetJsonAsync("resp_1", ""));
        await Assert.ThrowsAsync<GatewayException>(() => store.LoadConversationAsync("resp_1", ""));
    }

    [PostgresFact]
    public async Task Two_replicas_sharing_postgresql_see_each_others_responses()
    {
        await using var db = await TestDatabase.CreateAsync("postgresql");
        await using var first = await db.StartRuntimeAsync(shareDataDirectory: false);
        await using var second = await db.StartRuntimeAsync(shareDataDirectory: false);
        await new ResponseStore(first.Database, new ResponsesOptions()).SaveAsync("k", Response("resp_1", null, "from replica one"), [User("q")]);

        var conversation = await new ResponseStore(second.Database, new ResponsesOptions()).LoadConversationAsync("resp_1", "k");

        Assert.Equal(["q", "from replica one"], conversation.Select(Text));
    }

    private static ResponseObject Response(string id, string? previous, string answer) => new()
    {
        Id = id,
        Status = "completed",
        Model = "deepseek-v4-flash",
        PreviousResponseId = previous,
        Output = [new MessageItem { Id = "msg_" + id, Role = "assistant", Status = "completed", Content = [new OutputTextPart(answer)] }],
    };

    private static MessageItem User(string text) => new() { Role = "user", Content = [new InputTextPart(text)] };

    private static string Text(ResponseItem item) => ((MessageItem)item).Content[0] switch
    {
        InputTextPart input => input.Text,
        OutputTextPart output => output.Text,
        _ => string.Empty,
    };

    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
