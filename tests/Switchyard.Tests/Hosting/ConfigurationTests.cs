using Microsoft.Extensions.Configuration;
using Switchyard.Hosting;

namespace Switchyard.Tests.Hosting;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Switchyard:Upstream:BaseUrl", "not a url", "Switchyard:Upstream:BaseUrl")]
    [InlineData("Switchyard:Upstream:BaseUrl", "ftp://example.com", "Switchyard:Upstream:BaseUrl")]
    [InlineData("Switchyard:PingInterval", "-00:00:01", "Switchyard:PingInterval")]
    [InlineData("Switchyard:MaxRequestBodyBytes", "10", "Switchyard:MaxRequestBodyBytes")]
    [InlineData("Switchyard:MaxRequestBodyBytes", "4294967296", "Switchyard:MaxRequestBodyBytes")]
    [InlineData("Switchyard:Models:DefaultModel", "gpt-4o", "Switchyard:Models:DefaultModel")]
    [InlineData("Switchyard:ThinkingSigningKey", "c2hvcnQ=", "Switchyard:ThinkingSigningKey")]
    [InlineData("DEEPSEEK_BASE_URL", "nope", "DEEPSEEK_BASE_URL")]
    [InlineData("Switchyard:Upstream:IdleTimeout", "banana", "Switchyard")]
    [InlineData("Switchyard:Responses:Retention", "00:00:00", "Switchyard:Responses:Retention")]
    public void Invalid_settings_stop_start_up_with_a_message_that_names_them(string key, string value, string named)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => ConfigurationLoader.Load(configuration));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void The_retention_of_stored_responses_is_a_known_setting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Switchyard:Responses:Retention"] = "7.00:00:00" }).Build();

        Assert.Equal(TimeSpan.FromDays(7), ConfigurationLoader.Load(configuration).Responses.Retention);
    }

    [Fact]
    public void Zero_config_shortcuts_fill_the_default_upstream()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DEEPSEEK_API_KEY"] = "sk-from-env",
            ["DEEPSEEK_BASE_URL"] = "http://127.0.0.1:9999/v1",
            ["SWITCHYARD_DATA_DIR"] = "/tmp/switchyard-config-test",
        }).Build();
        var options = ConfigurationLoader.Load(configuration);
        Assert.Equal("sk-from-env", options.Upstream.ApiKey);
        Assert.Equal(new Uri("http://127.0.0.1:9999/v1"), options.Upstream.BaseUrl);
        Assert.Equal("/tmp/switchyard-config-test", options.DataDirectory);
    }

    [Fact]
    public async Task A_network_bind_without_keys_refuses_to_start()
    {
        var dataDir = Directory.CreateTempSubdirectory("switchyard-bind-").FullName;
        var app = SwitchyardApp.Build([], new Dictionary<string, string?>
        {
            ["urls"] = "http://0.0.0.0:0",
            ["Switchyard:DataDirectory"] = dataDir,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SwitchyardApp.StartAsync(app));
        await app.DisposeAsync();
        Assert.Contains("Switchyard:Auth", error.Message);
    }
}
