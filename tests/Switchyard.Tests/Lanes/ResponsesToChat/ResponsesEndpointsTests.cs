using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using Switchyard.Tests.Platform;
using Switchyard.Tests.Lanes.ChatToChat;
using Switchyard.Tests.ResponsesApi;
using static Switchyard.Tests.Lanes.ChatToChat.OpenAIFrontSupport;

namespace Switchyard.Tests.Lanes.ResponsesToChat;

/// <summary>POST/GET/DELETE /v1/responses against the real server and the fake DeepSeek, on the raw wire.</summary>
public sealed class ResponsesEndpointsTests
{
    private const string Weather = """[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}]""";

    private static List<JsonElement> Events(OpenAIRawAnswer answer) =>
        answer.DataPayloads().Select(d => JsonDocument.Parse(d).RootElement).ToList();

    [Fact]
    public async Task A_plain_request_gets_a_completed_response_with_usage()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "Paris.", Reasoning = "Capital of France.", PromptTokens = 40, CacheHitTokens = 32, CompletionTokens = 9, ReasoningTokens = 4 });

        var answer = await PostAsync(host, "/v1/responses", """{"model":"deepseek-v4-flash","input":"Capital of France?","reasoning":{"summary":"auto"}}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var response = answer.Json!;
        Assert.StartsWith("resp_", response["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("response", response["object"]!.GetValue<string>());
        Assert.Equal("completed", response["status"]!.GetValue<string>());
        Assert.Equal("deepseek-v4-flash", response["model"]!.GetValue<string>());
        Assert.Equal("Capital of France.", response["output"]![0]!["summary"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("Paris.", response["output"]![1]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(40, response["usage"]!["input_tokens"]!.GetValue<int>());
        Assert.Equal(32, response["usage"]!["input_tokens_details"]!["cached_tokens"]!.GetValue<int>());
        Assert.Equal(4, response["usage"]!["output_tokens_details"]!["reasoning_tokens"]!.GetValue<int>());
        Assert.Equal("deepseek-v4-flash", answer.Header("x-switchyard-model"));
        var sent = host.Upstream.LastRequest;
        Assert.Equal("/chat/completions", sent.Path);
        Assert.Equal("enabled", sent.Json!["thinking"]!["type"]!.GetValue<string>());
        Assert.Equal("Capital of France?", sent.Json["messages"]![0]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_stream_follows_the_grammar_and_ends_completed()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "Streaming answer.", Reasoning = "Think.", KeepAliveCount = 2 });

        var answer = await PostAsync(host, "/responses", """{"model":"deepseek-v4-flash","input":"Go","stream":true}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.StartsWith("text/event-stream", answer.Header("content-type"), StringComparison.Ordinal);
        var events = Events(answer);
        Assert.Empty(ResponsesStreamGrammar.Validate(events));
        Assert.Contains("event: response.output_text.delta\ndata: ", answer.Body, StringComparison.Ordinal);
        var final = events[^1].GetProperty("response");
        Assert.Equal("completed", final.GetProperty("status").GetString());
        Assert.Equal("Streaming answer.", final.GetProperty("output")[1].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("reasoning_text", final.GetProperty("output")[0].GetProperty("content")[0].GetProperty("type").GetString());
        Assert.True(host.Upstream.LastRequest.Json!["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_silent_stream_gets_keep_alive_comments_between_events()
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:PingInterval"] = "00:00:00.200" });
        host.Upstream.Enqueue(new FakeReply { Content = "slow text", ChunkSize = 5, ChunkDelay = TimeSpan.FromMilliseconds(700) });

        var answer = await PostAsync(host, "/v1/responses", """{"model":"deepseek-v4-flash","input":"Go","stream":true,"reasoning":{"effort":"none"}}""");

        var firstDelta = answer.Body.IndexOf("event: response.output_text.delta", StringComparison.Ordinal);
        var secondDelta = answer.Body.IndexOf("event: response.output_text.delta", firstDelta + 1, StringComparison.Ordinal);
        Assert.Contains(": keep-alive\n\n", answer.Body[firstDelta..secondDelta], StringComparison.Ordinal);
        Assert.Empty(ResponsesStreamGrammar.Validate(Events(answer)));
    }

    [Fact]
    public async Task Stateless_tool_loop_replays_sealed_reasoning_and_memory_covers_a_client_that_drops_it()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply
        {
            Reasoning = "I need the weather tool.",
            ToolCalls = [new FakeToolCall("get_weather", """{"city":"Paris"}""", "call_00_weather")],
        });
        var first = await PostAsync(host, "/v1/responses",
            $$"""{"model":"deepseek-v4-flash","input":"Weather in Paris?","tools":{{Weather}},"store":false,"include":["reasoning.encrypted_content"],"stream":true}""");
        var output = Events(first)[^1].GetProperty("response").GetProperty("output");
        var reasoning = output[0];
        var call = output[1];
        Assert.StartsWith("sy1r.", reasoning.GetProperty("encrypted_content").GetString(), StringComparison.Ordinal);
        Assert.Equal("call_00_weather", call.GetProperty("call_id").GetString());

        // Like Codex: everything comes back, with the function's output.
        var input = new JsonArray(
            JsonNode.Parse("""{"role":"user","content":"Weather in Paris?"}"""),
            JsonNode.Parse(reasoning.GetRawText()),
            JsonNode.Parse(call.GetRawText()),
            JsonNode.Parse("""{"type":"function_call_output","call_id":"call_00_weather","output":"18 °C"}"""));
        await PostAsync(host, "/v1/responses", $$"""{"model":"deepseek-v4-flash","store":false,"tools":{{Weather}},"input":{{input.ToJsonString()}}}""");
        var replayed = host.Upstream.LastRequest.Json!["messages"]![1]!;
        Assert.Equal("I need the weather tool.", replayed["reasoning_content"]!.GetValue<string>());
        Assert.Equal("call_00_weather", replayed["tool_calls"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("18 °C", host.Upstream.LastRequest.Json["messages"]![2]!["content"]!.GetValue<string>());

        // A client that drops the reasoning item: the reasoning memory puts it back.
        input.RemoveAt(1);
        var dropped = await PostAsync(host, "/v1/responses", $$"""{"model":"deepseek-v4-flash","store":false,"tools":{{Weather}},"input":{{input.ToJsonString()}}}""");
        Assert.Equal(HttpStatusCode.OK, dropped.Status);
        Assert.Equal("1", dropped.Header("x-switchyard-reasoning-restored"));
        Assert.Equal("I need the weather tool.", host.Upstream.LastRequest.Json!["messages"]![1]!["reasoning_content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Previous_response_id_continues_a_stored_conversation_which_can_be_read_and_deleted()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Text("Nice to meet you, Ada."));
        var first = (await PostAsync(host, "/v1/responses", """{"model":"deepseek-v4-flash","instructions":"Be kind.","input":"I am Ada.","metadata":{"t":"1"}}""")).Json!;
        var id = first["id"]!.GetValue<string>();

        host.Upstream.Enqueue(FakeReply.Text("You are Ada."));
        var second = await PostAsync(host, "/v1/responses", $$"""{"model":"deepseek-v4-flash","input":"Who am I?","previous_response_id":"{{id}}"}""");
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(id, second.Json!["previous_response_id"]!.GetValue<string>());
        var sent = host.Upstream.LastRequest.Json!["messages"]!.AsArray();
        Assert.Equal(["I am Ada.", "Nice to meet you, Ada.", "Who am I?"], sent.Select(m => m!["content"]!.GetValue<string>()));

        var stored = await GetAsync(host, $"/v1/responses/{id}");
        Assert.Equal(HttpStatusCode.OK, stored.Status);
        Assert.Equal(first.ToJsonString(), stored.Json!.ToJsonString());
        var items = await GetAsync(host, $"/v1/responses/{id}/input_items");
        Assert.Equal("list", items.Json!["object"]!.GetValue<string>());
        Assert.Equal("I am Ada.", items.Json["data"]![0]!["content"]![0]!["text"]!.GetValue<string>());

        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/v1/responses/{id}");
        delete.Headers.Add("Authorization", "Bearer sk-openai-client");
        var deleted = JsonNode.Parse(await (await host.Http.SendAsync(delete)).Content.ReadAsStringAsync())!;
        Assert.Equal("response.deleted", deleted["object"]!.GetValue<string>());
        AssertOpenAIError(await GetAsync(host, $"/v1/responses/{id}"), HttpStatusCode.NotFound, "invalid_request_error");
    }

    [Fact]
    public async Task Store_false_keeps_nothing_and_unknown_ids_are_404s_in_openai_format()
    {
        await using var host = await GatewayHost.StartAsync();
        var answer = await PostAsync(host, "/v1/responses", """{"model":"deepseek-v4-flash","input":"x","store":false}""");
        var id = answer.Json!["id"]!.GetValue<string>();
        Assert.False(answer.Json["store"]!.GetValue<bool>());

        AssertOpenAIError(await GetAsync(host, $"/v1/responses/{id}"), HttpStatusCode.NotFound, "invalid_request_error");
        var continued = await PostAsync(host, "/v1/responses", $$"""{"model":"deepseek-v4-flash","input":"y","previous_response_id":"{{id}}"}""");
        var error = AssertOpenAIError(continued, HttpStatusCode.NotFound, "invalid_request_error");
        Assert.Contains(id, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(("previous_response_id", "previous_response_not_found"), (error["param"]!.GetValue<string>(), error["code"]!.GetValue<string>()));
        AssertOpenAIError(await GetAsync(host, "/v1/responses/resp_unknown/input_items"), HttpStatusCode.NotFound, "invalid_request_error");
    }

    [Theory]
    [InlineData("""{"model":"deepseek-v4-flash","input":"x","tools":[{"type":"web_search"}]}""", "tools")]
    [InlineData("""{"model":"deepseek-v4-flash","input":[{"type":"computer_call_output","call_id":"c","output":{}}]}""", "input[0].type")]
    [InlineData("""{"model":"deepseek-v4-flash","input":[{"type":"function_call_output","output":"x"}]}""", "input[0].call_id")]
    [InlineData("""{"model":"deepseek-v4-flash","input":[{"role":"user","content":"x"},{"type":"function_call","call_id":"c","name":"f","arguments":"{}"}]}""", "input")]
    [InlineData("""{"model":"deepseek-v4-flash","input":"x","background":true}""", "background")]
    [InlineData("""not json""", null)]
    public async Task Bad_requests_are_400s_in_openai_format_and_never_reach_the_upstream(string body, string? param)
    {
        await using var host = await GatewayHost.StartAsync();

        var answer = await PostAsync(host, "/v1/responses", body);

        var error = AssertOpenAIError(answer, HttpStatusCode.BadRequest, "invalid_request_error");
        Assert.Equal(param, error["param"]?.GetValue<string>());
        Assert.Empty(host.Upstream.Requests);
    }

    [Fact]
    public async Task The_upstream_user_id_follows_the_user_id_policy_as_on_the_other_deepseek_lanes()
    {
        await using var host = await GatewayHost.StartAsync();
        await PostAsync(host, "/v1/responses", """{"model":"deepseek-v4-flash","input":"x","safety_identifier":"alice@example.com"}""");
        await PostAsync(host, "/v1/responses", """{"model":"deepseek-v4-flash","input":"y","user":"bob"}""");

        // One opaque id per client key by default: the client's own ids do not split the key's prefix cache.
        var ids = host.Upstream.Requests.Select(r => r.Json!["user_id"]!.GetValue<string>()).ToList();
        Assert.StartsWith("sy_", ids[0], StringComparison.Ordinal);
        Assert.Equal(ids[0], ids[1]);

        await using var passThrough = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:Translation:UserId"] = "PassThrough" });
        await PostAsync(passThrough, "/v1/responses", """{"model":"deepseek-v4-flash","input":"x","safety_identifier":"alice@example.com","user":"bob"}""");
        Assert.Equal("alice_example_com", passThrough.Upstream.LastRequest.Json!["user_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_forced_function_call_turns_thinking_off_and_says_so()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Tools(new FakeToolCall("get_weather", """{"city":"Rome"}""")));

        var answer = await PostAsync(host, "/v1/responses",
            $$$"""{"model":"deepseek-v4-flash","input":"Weather?","tools":{{{Weather}}},"tool_choice":{"type":"function","name":"get_weather"}}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("disabled-for-forced-tool-choice", answer.Header("x-switchyard-thinking"));
        Assert.Equal("function_call", answer.Json!["output"]![0]!["type"]!.GetValue<string>());
        var sent = host.Upstream.LastRequest.Json!;
        Assert.Equal("disabled", sent["thinking"]!["type"]!.GetValue<string>());
        Assert.Equal("get_weather", sent["tool_choice"]!["function"]!["name"]!.GetValue<string>());
    }

    private const string Person = """
        "text":{"format":{"type":"json_schema","name":"person","schema":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"],"additionalProperties":false}}}
        """;

    [Fact]
    public async Task A_json_schema_format_is_a_strict_forced_call_whose_arguments_become_the_answer()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Tools(new FakeToolCall("structured_output", """{"name":"Ada"}""")));

        var answer = await PostAsync(host, "/v1/responses", $$"""{"model":"deepseek-v4-flash","input":"Who wrote the first program?",{{Person}}}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("strict-tool", answer.Header("x-switchyard-structured-output"));
        Assert.Equal("disabled-for-structured-output", answer.Header("x-switchyard-thinking"));
        var output = Assert.Single(answer.Json!["output"]!.AsArray())!;
        Assert.Equal(("message", """{"name":"Ada"}"""), ((string?)output["type"], (string?)output["content"]![0]!["text"]));
        Assert.Equal("json_schema", (string?)answer.Json["text"]!["format"]!["type"]);
        var sent = host.Upstream.LastRequest;
        Assert.Equal("/beta/chat/completions", sent.Path);
        Assert.Equal("structured_output", (string?)sent.Json!["tool_choice"]!["function"]!["name"]);
        Assert.True((bool?)sent.Json["tools"]![0]!["function"]!["strict"]);
        Assert.Equal("disabled", (string?)sent.Json["thinking"]!["type"]);
    }

    [Fact]
    public async Task An_answer_that_misses_the_schema_is_repaired_once_and_streamed_with_the_usage_of_both_calls()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { ToolCalls = [new FakeToolCall("structured_output", """{"nom":"Ada"}""")], PromptTokens = 30, CompletionTokens = 5 });
        host.Upstream.Enqueue(new FakeReply { ToolCalls = [new FakeToolCall("structured_output", """{"name":"Ada"}""")], PromptTokens = 40, CompletionTokens = 6 });

        var answer = await PostAsync(host, "/v1/responses", $$"""{"model":"deepseek-v4-flash","input":"Who?","stream":true,{{Person}}}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var events = Events(answer);
        Assert.Empty(ResponsesStreamGrammar.Validate(events));
        var final = events[^1].GetProperty("response");
        Assert.Equal("completed", final.GetProperty("status").GetString());
        Assert.Equal("""{"name":"Ada"}""", final.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal((70, 11), (final.GetProperty("usage").GetProperty("input_tokens").GetInt32(), final.GetProperty("usage").GetProperty("output_tokens").GetInt32()));
        Assert.Equal(2, host.Upstream.Requests.Count);
        Assert.False(host.Upstream.Requests[0].Json!["stream"]?.GetValue<bool>() ?? false);
        var repair = host.Upstream.LastRequest.Json!["messages"]!.AsArray();
        Assert.Contains("does not match", (string?)repair[^1]!["content"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_still_invalid_after_the_repair_is_an_error_never_an_invalid_object()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Tools(new FakeToolCall("structured_output", """{"nom":"Ada"}""")));
        host.Upstream.Enqueue(FakeReply.Tools(new FakeToolCall("structured_output", """{"nom":"Ada"}""")));

        var answer = await PostAsync(host, "/v1/responses", $$"""{"model":"deepseek-v4-flash","input":"Who?",{{Person}}}""");

        var error = AssertOpenAIError(answer, HttpStatusCode.InternalServerError, "api_error");
        Assert.Contains("JSON Schema", (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upstream_errors_before_the_stream_are_openai_errors_and_after_it_response_failed()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(FakeReply.Error(429, headers: new Dictionary<string, string> { ["retry-after"] = "3" }));
        var limited = await PostAsync(host, "/v1/responses", """{"model":"deepseek-v4-flash","input":"x","stream":true}""");
        AssertOpenAIError(limited, HttpStatusCode.TooManyRequests, "rate_limit_error");

        host.Upstream.Enqueue(new FakeReply { Content = "This answer is cut", CutAfterChunks = 3 });
        var cut = await PostAsync(host, "/v1/responses", """{"model":"deepseek-v4-flash","input":"x","stream":true}""");
        Assert.Equal(HttpStatusCode.OK, cut.Status);
        var events = Events(cut);
        Assert.Empty(ResponsesStreamGrammar.Validate(events));
        Assert.Equal("error", events[^2].GetProperty("type").GetString());
        Assert.Equal("failed", events[^1].GetProperty("response").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Upstream_failures_are_retried_through_the_executor_before_the_answer_starts()
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?>
        {
            ["Switchyard:Resilience:MaxRetries"] = "2",
            ["Switchyard:Resilience:BaseDelay"] = "00:00:00.010",
        });
        host.Upstream.Enqueue(FakeReply.Error(503));
        host.Upstream.Enqueue(FakeReply.Text("Second time lucky."));

        var answer = await PostAsync(host, "/v1/responses", """{"model":"deepseek-v4-flash","input":"x","stream":true}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("1", answer.Header("x-switchyard-retries"));
        Assert.Equal("completed", Events(answer)[^1].GetProperty("response").GetProperty("status").GetString());
        Assert.Equal(2, host.Upstream.Requests.Count);
    }

    [Fact]
    public async Task Input_items_page_by_order_limit_and_after()
    {
        await using var host = await GatewayHost.StartAsync();
        var created = await PostAsync(host, "/v1/responses", """
            {"model":"deepseek-v4-flash","input":[{"role":"user","content":"one"},{"role":"user","content":"two"},{"role":"user","content":"three"}]}
            """);
        var id = created.Json!["id"]!.GetValue<string>();
        static string[] Texts(OpenAIRawAnswer page) => [.. page.Json!["data"]!.AsArray().Select(i => i!["content"]![0]!["text"]!.GetValue<string>())];

        var newest = await GetAsync(host, $"/v1/responses/{id}/input_items?limit=2");
        Assert.Equal(["three", "two"], Texts(newest));
        Assert.True(newest.Json!["has_more"]!.GetValue<bool>());
        var rest = await GetAsync(host, $"/v1/responses/{id}/input_items?limit=2&after={newest.Json["last_id"]!.GetValue<string>()}");
        Assert.Equal(["one"], Texts(rest));
        Assert.False(rest.Json!["has_more"]!.GetValue<bool>());
        Assert.Equal(["one", "two", "three"], Texts(await GetAsync(host, $"/v1/responses/{id}/input_items?order=asc")));
        AssertOpenAIError(await GetAsync(host, $"/v1/responses/{id}/input_items?limit=500"), HttpStatusCode.BadRequest, "invalid_request_error");
        AssertOpenAIError(await GetAsync(host, $"/v1/responses/{id}?stream=true"), HttpStatusCode.BadRequest, "invalid_request_error");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Stored_responses_belong_to_the_key_that_created_them_and_usage_reaches_the_ledger(string engine)
    {
        if (engine == "postgresql" && TestPostgres.Unavailable)
        {
            return;
        }

        const string AdminKey = "admin-test-key-0123456789";
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?>(db.Settings()) { ["Switchyard:Admin:Key"] = AdminKey });
        async Task<string> CreateKeyAsync(string name)
        {
            using var create = new HttpRequestMessage(HttpMethod.Post, "/admin/keys") { Content = JsonContent.Create(new { name }) };
            create.Headers.Add("x-api-key", AdminKey);
            return JsonNode.Parse(await (await host.Http.SendAsync(create)).Content.ReadAsStringAsync())!["secret"]!.GetValue<string>();
        }

        var alice = await CreateKeyAsync("alice");
        var bob = await CreateKeyAsync("bob");
        host.Upstream.Enqueue(new FakeReply { Content = "Hi Alice.", PromptTokens = 20, CompletionTokens = 5 });
        var created = await Send(host, HttpMethod.Post, "/v1/responses", alice, """{"model":"deepseek-v4-flash","input":"hi","stream":true}""");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var id = OpenAIFrontSupport.DataPayloads(await created.Content.ReadAsStringAsync()).Select(d => JsonNode.Parse(d)!).Last()["response"]!["id"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.OK, (await Send(host, HttpMethod.Get, $"/v1/responses/{id}", alice)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(host, HttpMethod.Get, $"/v1/responses/{id}", bob)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(host, HttpMethod.Delete, $"/v1/responses/{id}", bob)).StatusCode);
        var borrowed = await Send(host, HttpMethod.Post, "/v1/responses", bob, $$"""{"model":"deepseek-v4-flash","input":"x","previous_response_id":"{{id}}"}""");
        Assert.Equal(HttpStatusCode.NotFound, borrowed.StatusCode);

        JsonNode? row = null;
        for (var attempt = 0; attempt < 50 && row is null; attempt++)
        {
            await Task.Delay(100);
            using var list = new HttpRequestMessage(HttpMethod.Get, "/admin/requests?limit=100");
            list.Headers.Add("x-api-key", AdminKey);
            var rows = JsonNode.Parse(await (await host.Http.SendAsync(list)).Content.ReadAsStringAsync())!["data"]!.AsArray();
            row = rows.FirstOrDefault(r => r!["endpoint"]!.GetValue<string>() == "responses" && r["status"]!.GetValue<int>() == 200);
        }

        Assert.NotNull(row);
        Assert.Equal("openai", row["format"]!.GetValue<string>());
        Assert.Equal(20, row["input_tokens"]!.GetValue<int>());
        Assert.Equal(5, row["output_tokens"]!.GetValue<int>());
        Assert.True(row["stream"]!.GetValue<bool>());
        Assert.Equal("alice", row["key_name"]!.GetValue<string>());
    }

    private static async Task<HttpResponseMessage> Send(GatewayHost host, HttpMethod method, string path, string key, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Authorization", "Bearer " + key);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        var response = await host.Http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
