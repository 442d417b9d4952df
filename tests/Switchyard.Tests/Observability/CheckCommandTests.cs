using System.Text.Json.Nodes;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Observability;

/// <summary><c>switchyard check</c>, <c>switchyard claude-env</c> and <c>switchyard codex-env</c>.</summary>
public sealed class CheckCommandTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("switchyard-check-").FullName;

    private Dictionary<string, string?> Overrides() => new() { ["Switchyard:DataDirectory"] = _dataDir };

    private async Task<(int Exit, string Output)> RunAsync(string[] args, string? stdin = null)
    {
        var result = await Tests.Cli.Cli.RunAsync(args, Overrides(), stdin);
        return (result.Exit, result.Out + result.Error);
    }

    private string WriteRequest(JsonNode body)
    {
        var path = Path.Combine(_dataDir, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, body.ToJsonString());
        return path;
    }

    [Theory]
    [InlineData("first-request.json")]
    [InlineData("tool-result-turn.json")]
    public async Task Claude_Code_fixtures_are_served(string fixture)
    {
        var (exit, output) = await RunAsync(["check", Path.Combine(GatewayTestSupport.FixtureDirectory(), fixture)]);
        Assert.True(exit == 0, output);
        Assert.Contains("RESULT: served", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^DROP\s+system\[0\]\s+text \(x-anthropic-billing-header\): Claude Code's billing header block is dropped", output);
        Assert.Matches(@"(?m)^IGNORE\s+header anthropic-beta\s+anthropic-beta:", output);
        Assert.Matches(@"(?m)^IGNORE\s+context_management\s+", output);
        Assert.Matches(@"(?m)^(ROUTE|HONOUR)\s+model\s+\S+ → deepseek-v4-pro: Served by deepseek-v4-pro", output);
        Assert.Matches(@"(?m)^IGNORE\s+request\s+query \?beta=true: ", output);
        Assert.Matches(@"(?m)^HONOUR\s+header x-api-key|^HONOUR\s+header authorization", output);
        Assert.Matches(@"(?m)^HONOUR\s+tools\[0\]\s+", output);
        Assert.Contains("upstream: model deepseek-v4-pro", output, StringComparison.Ordinal);
        Assert.Contains("thinking enabled", output, StringComparison.Ordinal);
        if (fixture == "tool-result-turn.json")
        {
            Assert.Matches(@"(?m)^HONOUR\s+messages\[\d+\]\.content\[\d+\]\s+tool_result: ", output);
            Assert.Matches(@"(?m)^HONOUR\s+messages\[\d+\]\.content\[\d+\]\s+thinking: ", output);
        }
    }

    [Fact]
    public async Task Chat_completions_requests_are_checked_against_the_chat_lane_table()
    {
        var served = JsonNode.Parse("""
            {"model":"deepseek-v4-flash","seed":7,"messages":[{"role":"developer","content":"Be brief."},{"role":"user","content":"Hi"}],
             "response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object"}}}}
            """)!;
        var (exit, output) = await RunAsync(["check", "--openai", WriteRequest(served)]);
        Assert.True(exit == 0, output);
        Assert.Matches(@"(?m)^DROP\s+seed\s+seed: Not in DeepSeek's API", output);
        Assert.Matches(@"(?m)^HONOUR\s+messages\[0\]\s+developer: → `system`", output);
        Assert.Contains("structured output", output, StringComparison.Ordinal);

        var rejected = JsonNode.Parse("""{"model":"deepseek-v4-flash","messages":[{"role":"wizard","content":"hi"}]}""")!;
        (exit, output) = await RunAsync(["check", "--openai", WriteRequest(rejected)]);
        Assert.Equal(1, exit);
        Assert.Matches(@"(?m)^REJECT\s+messages\[0\]\s+wizard", output);
    }

    [Fact]
    public async Task Rejected_blocks_are_named_with_their_path_and_exit_non_zero()
    {
        var body = JsonNode.Parse("""
            {"model":"claude-sonnet-4-5","max_tokens":100,"messages":[
              {"role":"user","content":[{"type":"text","text":"What is in this picture?"},
                {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]}]}
            """)!;
        var (exit, output) = await RunAsync(["check", WriteRequest(body)]);
        Assert.Equal(1, exit);
        Assert.Matches(@"(?m)^REJECT\s+messages\[0\]\.content\[1\]\s+image: DeepSeek's chat models take no images; a route can send", output);
        Assert.Contains("RESULT: rejected", output, StringComparison.Ordinal);
        Assert.Contains("messages[0].content[1]: content block type 'image' is not supported", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejected_server_tools_and_nested_blocks_are_named()
    {
        var body = JsonNode.Parse("""
            {"model":"deepseek-v4-flash","max_tokens":100,
             "tools":[{"type":"web_search_20250305","name":"web_search"}],
             "messages":[{"role":"user","content":"Hi"},
               {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"shot","input":{}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"x"}}]}]}]}
            """)!;
        var (exit, output) = await RunAsync(["check", WriteRequest(body)]);
        Assert.Equal(1, exit);
        Assert.Matches(@"(?m)^REJECT\s+tools\[0\]\s+web_search_20250305 'web_search': Server tool", output);
        Assert.Matches(@"(?m)^REJECT\s+messages\[2\]\.content\[0\]\.content\[0\]\s+image: ", output);
    }

    [Fact]
    public async Task Rejections_outside_the_table_come_from_the_parser_and_translator()
    {
        // A tool_use whose tool_result never comes: not a table row, but the translator refuses it.
        var body = JsonNode.Parse("""
            {"model":"deepseek-v4-flash","max_tokens":100,"messages":[
              {"role":"user","content":"Run it"},
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_9","name":"run","input":{}}]},
              {"role":"user","content":"and?"}]}
            """)!;
        var (exit, output) = await RunAsync(["check", "-"], body.ToJsonString());
        Assert.Equal(1, exit);
        Assert.Contains("RESULT: rejected", output, StringComparison.Ordinal);
        Assert.Contains("Switchyard answers: invalid_request_error (400):", output, StringComparison.Ordinal);
        Assert.Contains("toolu_9", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_input_exits_2()
    {
        var (exit, output) = await RunAsync(["check", "-"], "{not json");
        Assert.Equal(2, exit);
        Assert.Contains("is not JSON", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Claude_env_points_Claude_Code_at_the_configured_url()
    {
        var (exit, output) = await RunAsync(["claude-env", "--Switchyard:DataDirectory=" + _dataDir, "--urls=http://0.0.0.0:9090"]);
        Assert.Equal(0, exit);
        Assert.Contains("export ANTHROPIC_BASE_URL='http://127.0.0.1:9090/anthropic'", output, StringComparison.Ordinal);
        Assert.Contains("export ANTHROPIC_AUTH_TOKEN=", output, StringComparison.Ordinal);
        Assert.Contains("switchyard keys create", output, StringComparison.Ordinal);
        Assert.Contains("export CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC='1'", output, StringComparison.Ordinal);
        Assert.Contains("export API_TIMEOUT_MS='600000'", output, StringComparison.Ordinal);
        // Every variable of DeepSeek's Claude Code guide, with its values.
        Assert.Contains("export ANTHROPIC_MODEL='deepseek-v4-pro[1m]'", output, StringComparison.Ordinal);
        Assert.Contains("export ANTHROPIC_DEFAULT_OPUS_MODEL='deepseek-v4-pro[1m]'", output, StringComparison.Ordinal);
        Assert.Contains("export ANTHROPIC_DEFAULT_SONNET_MODEL='deepseek-v4-pro[1m]'", output, StringComparison.Ordinal);
        Assert.Contains("export ANTHROPIC_DEFAULT_HAIKU_MODEL='deepseek-v4-flash'", output, StringComparison.Ordinal);
        Assert.Contains("export CLAUDE_CODE_SUBAGENT_MODEL='deepseek-v4-flash'", output, StringComparison.Ordinal);
        Assert.Contains("export CLAUDE_CODE_EFFORT_LEVEL='max'", output, StringComparison.Ordinal);
        Assert.Contains("claude-opus* → deepseek-v4-pro", output, StringComparison.Ordinal);
        var (_, withKey) = await RunAsync(["claude-env", "--url", "https://gw.example.com/", "--key", "sk-sy-abc"]);
        Assert.Contains("export ANTHROPIC_BASE_URL='https://gw.example.com/anthropic'", withKey, StringComparison.Ordinal);
        Assert.Contains("export ANTHROPIC_AUTH_TOKEN='sk-sy-abc'", withKey, StringComparison.Ordinal);
        var (_, powershell) = await RunAsync(["claude-env", "--shell", "powershell", "--url", "http://127.0.0.1:8080"]);
        Assert.Contains("$env:ANTHROPIC_BASE_URL=\"http://127.0.0.1:8080/anthropic\"", powershell, StringComparison.Ordinal);
        Assert.Contains("$env:CLAUDE_CODE_EFFORT_LEVEL=\"max\"", powershell, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Codex_env_prints_the_config_block_and_the_key_variable()
    {
        var (exit, output) = await RunAsync(["codex-env", "--Switchyard:DataDirectory=" + _dataDir, "--urls=http://0.0.0.0:9090"]);
        Assert.Equal(0, exit);
        Assert.Contains("export SWITCHYARD_API_KEY=", output, StringComparison.Ordinal);
        Assert.Contains("switchyard keys create", output, StringComparison.Ordinal);
        Assert.Contains("base_url = \"http://127.0.0.1:9090/v1\"", output, StringComparison.Ordinal);
        Assert.Contains("wire_api = \"responses\"", output, StringComparison.Ordinal);
        Assert.Contains("model = \"deepseek-v4-pro\"", output, StringComparison.Ordinal);
        var (_, custom) = await RunAsync(["codex-env", "--url", "https://gw.example.com/", "--key", "sk-sy-abc", "--model", "deepseek-v4-flash"]);
        Assert.Contains("export SWITCHYARD_API_KEY='sk-sy-abc'", custom, StringComparison.Ordinal);
        Assert.Contains("base_url = \"https://gw.example.com/v1\"", custom, StringComparison.Ordinal);
        Assert.Contains("model = \"deepseek-v4-flash\"", custom, StringComparison.Ordinal);
        var (_, powershell) = await RunAsync(["codex-env", "--shell", "powershell", "--url", "http://127.0.0.1:8080"]);
        Assert.Contains("$env:SWITCHYARD_API_KEY=", powershell, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
