using System.ClientModel;
using System.Net;
using OpenAI.Chat;
using Switchyard.Tests.Fakes;
using Switchyard.Tests.Infrastructure;
using static Switchyard.Tests.Lanes.ChatToChat.OpenAIFrontSupport;

namespace Switchyard.Tests.Lanes.ChatToChat;

/// <summary>OpenAI-style errors: validation 400s naming the parameter, and upstream errors mapped.</summary>
public sealed class ErrorTests
{
    private const string Hi = """[{"role":"user","content":"hi"}]""";

    private static string Body(string extra) => """{"model":"deepseek-v4-flash","messages":""" + Hi + extra + "}";

    public static TheoryData<string, string> InvalidRequests()
    {
        var tools = string.Join(",", Enumerable.Range(0, 129).Select(i => """{"type":"function","function":{"name":"t""" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"}}"));
        return new TheoryData<string, string>
        {
            { Body(""","temperature":3"""), "temperature" },
            { Body(""","top_p":1.5"""), "top_p" },
            { Body(""","n":2"""), "n" },
            { Body(""","stream_options":{"include_usage":true}"""), "stream_options" },
            { Body(""","tools":[""" + tools + "]"), "tools" },
            { Body(""","tools":[{"type":"function","function":{"name":"bad name!"}}]"""), "tools" },
            { """{"model":"deepseek-v4-flash","messages":[{"role":"wizard","content":"hi"}]}""", "messages" },
            { """{"model":"deepseek-v4-flash"}""", "messages" },
            { """{"model":"deepseek-v4-flash","messages":[]}""", "messages" },
            { """{"messages":""" + Hi + "}", "model" },
            { Body(""","response_format":{"type":"xml"}"""), "response_format" },
            { Body(""","response_format":{"type":"json_schema","json_schema":{"name":"x"}}"""), "response_format.json_schema.schema" },
            { Body(""","max_tokens":0"""), "max_tokens" },
            { Body(""","thinking":{"type":"sometimes"}"""), "thinking" },
        };
    }

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task Invalid_requests_get_an_openai_400_naming_the_parameter_and_never_reach_the_upstream(string body, string param)
    {
        await using var host = await GatewayHost.StartAsync();

        var answer = await PostAsync(host, "/v1/chat/completions", body);

        var error = AssertOpenAIError(answer, HttpStatusCode.BadRequest, "invalid_request_error");
        Assert.Equal(param, error["param"]?.GetValue<string>());
        Assert.Empty(host.Upstream.Requests);
    }

    [Fact]
    public async Task Errors_without_a_parameter_still_carry_param_null_like_openai_and_deepseek()
    {
        await using var host = await GatewayHost.StartAsync(NoRetries());
        host.Upstream.Enqueue(FakeReply.Error(429));

        var answer = await PostAsync(host, "/v1/chat/completions", Body(""));

        var error = AssertOpenAIError(answer, HttpStatusCode.TooManyRequests, "rate_limit_error");
        Assert.True(error.ContainsKey("param"), "error.param must be present (null when no parameter is at fault): " + answer.Body);
    }

    [Fact]
    public async Task Malformed_json_is_an_openai_400()
    {
        await using var host = await GatewayHost.StartAsync();

        var answer = await PostAsync(host, "/chat/completions", """{"model":"deepseek-v4-flash","messages":[""");

        AssertOpenAIError(answer, HttpStatusCode.BadRequest, "invalid_request_error");
    }

    [Fact]
    public async Task The_sdk_sees_a_400_for_a_bad_temperature()
    {
        await using var host = await GatewayHost.StartAsync();
        var client = Chat(host, "deepseek-v4-flash");

        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            client.CompleteChatAsync([new UserChatMessage("hi")], new ChatCompletionOptions { Temperature = 2.5f }));

        Assert.Equal(400, error.Status);
        Assert.Contains("temperature", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429, 429, "rate_limit_error")]
    [InlineData(402, 402, "unknown_error")]
    [InlineData(503, 503, "server_overloaded")]
    [InlineData(500, 500, "api_error")]
    [InlineData(400, 400, "invalid_request_error")]
    public async Task Upstream_errors_map_to_openai_errors(int upstream, int expected, string type)
    {
        await using var host = await GatewayHost.StartAsync(NoRetries());
        host.Upstream.Enqueue(FakeReply.Error(upstream, headers: new Dictionary<string, string> { ["retry-after"] = "7" }));

        var answer = await PostAsync(host, "/v1/chat/completions", Body(""));

        AssertOpenAIError(answer, (HttpStatusCode)expected, type);
        if (upstream == 429)
        {
            Assert.Equal("7", answer.Header("retry-after"));
        }
    }

    [Fact]
    public async Task Upstream_error_before_a_stream_starts_is_a_json_error_not_a_stream()
    {
        await using var host = await GatewayHost.StartAsync(NoRetries());
        host.Upstream.Enqueue(FakeReply.Error(429));

        var answer = await PostAsync(host, "/v1/chat/completions",
            Body(""","stream":true,"stream_options":{"include_usage":true}"""));

        AssertOpenAIError(answer, HttpStatusCode.TooManyRequests, "rate_limit_error");
        Assert.StartsWith("application/json", answer.Header("content-type"));
    }

    [Fact]
    public async Task Upstream_401_is_a_500_that_never_quotes_the_upstream_key()
    {
        await using var host = await GatewayHost.StartAsync(NoRetries(new Dictionary<string, string?> { ["Switchyard:Upstream:ApiKey"] = "sk-wrong-upstream-key-9876" }));

        var answer = await PostAsync(host, "/v1/chat/completions", Body(""));

        AssertOpenAIError(answer, HttpStatusCode.InternalServerError, "api_error");
        Assert.Equal("false", answer.Header("x-should-retry"));
        Assert.DoesNotContain("9876", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-wrong", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Authentication Fails", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sdk_sees_the_upstream_rate_limit_as_429()
    {
        await using var host = await GatewayHost.StartAsync(NoRetries());
        host.Upstream.Enqueue(FakeReply.Error(429));
        var client = Chat(host, "deepseek-v4-flash");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(429, error.Status);
    }

    [Fact]
    public async Task A_stream_cut_by_the_upstream_ends_with_an_error_chunk_and_no_done()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Upstream.Enqueue(new FakeReply { Content = "This will be cut somewhere in the middle.", CutAfterChunks = 4 });

        var answer = await PostAsync(host, "/v1/chat/completions",
            Body(""","stream":true"""));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var payloads = answer.DataPayloads();
        Assert.DoesNotContain("[DONE]", payloads);
        Assert.NotNull(System.Text.Json.Nodes.JsonNode.Parse(payloads[^1])!["error"]);
    }
}
