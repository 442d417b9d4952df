using System.Net;
using Switchyard.Tests.Infrastructure;
using Switchyard.Tests.Robustness;
using static Switchyard.Tests.Infrastructure.GatewayTestSupport;

namespace Switchyard.Tests.Platform;

/// <summary>When x-api-key and Authorization disagree, either valid key admits the request.</summary>
public sealed class KeyHeadersTests
{
    private const string ValidKey = "sk-valid-client-key";

    [Theory]
    [InlineData("sk-stale-anthropic-key", ValidKey, HttpStatusCode.OK)]
    [InlineData(ValidKey, "sk-stale-bearer", HttpStatusCode.OK)]
    [InlineData("sk-stale-anthropic-key", "sk-stale-bearer", HttpStatusCode.Unauthorized)]
    [InlineData("", ValidKey, HttpStatusCode.OK)]
    public async Task Either_header_may_carry_the_valid_key(string apiKey, string bearer, HttpStatusCode expected)
    {
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Switchyard:Auth:Keys:0"] = ValidKey });
        foreach (var path in new[] { "/v1/messages", "/v1/chat/completions" })
        {
            var body = path == "/v1/messages"
                ? SimpleBody().ToJsonString()
                : """{"model":"deepseek-v4-flash","messages":[{"role":"user","content":"hi"}]}""";
            var answer = await PostJsonAsync(host, path, body, new Dictionary<string, string>
            {
                ["x-api-key"] = apiKey,
                ["Authorization"] = "Bearer " + bearer,
            });
            if (expected == HttpStatusCode.OK)
            {
                Assert.True(answer.Status == HttpStatusCode.OK, $"{path}: {(int)answer.Status} {answer.Body}");
            }
            else
            {
                CallerFormats.AssertError(answer, path, expected);
            }
        }
    }
}
