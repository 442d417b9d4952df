using Switchyard.Hosting;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Hosting;

public sealed class CodexConfigTests
{
    [Fact]
    public void The_block_names_the_responses_provider_and_turns_web_search_off()
    {
        var text = CodexConfig.Render(new Uri("http://gateway.internal:9000/"), "deepseek-v4-pro");

        var lines = text.Split('\n');
        Assert.Contains("model = \"deepseek-v4-pro\"", lines);
        Assert.Contains("model_provider = \"switchyard\"", lines);
        Assert.Contains("web_search = \"disabled\"", lines);
        Assert.Contains("[model_providers.switchyard]", lines);
        Assert.Contains("base_url = \"http://gateway.internal:9000/v1\"", lines);
        Assert.Contains("env_key = \"SWITCHYARD_API_KEY\"", lines);
        Assert.Contains("wire_api = \"responses\"", lines);
        Assert.Contains("stream_idle_timeout_ms = 600000", lines);
    }

    [Fact]
    public void Values_are_toml_strings()
    {
        var text = CodexConfig.Render(new Uri("http://127.0.0.1:8080"), "odd\"model\\name");

        Assert.Contains("model = \"odd\\\"model\\\\name\"\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_shows_the_block() =>
        ReadmeSection.AssertCurrent("codex-config", "\n```toml\n" + CodexConfig.Render(new Uri("http://127.0.0.1:8080"), "deepseek-v4-pro") + "```\n");
}
