using Microsoft.Extensions.Configuration;
using Switchyard.Hosting;

namespace Switchyard.Tests.Hosting;

/// <summary>A setting under <c>Switchyard:</c> that nothing reads stops start-up and is named, with its source.</summary>
public sealed class UnknownSettingsTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Theory]
    [InlineData("Switchyard:PingIntervall", "Switchyard:PingIntervall")]
    [InlineData("Switchyard:Upstream:FirstByteTimout", "Switchyard:Upstream:FirstByteTimout")]
    [InlineData("Switchyard:Providers:0:BaseUrll", "Switchyard:Providers:0:BaseUrll")]
    [InlineData("Switchyard:Storage:SqlitPath", "Switchyard:Storage:SqlitPath")]
    [InlineData("Switchyard:Telemetry:OtlpEndpont", "Switchyard:Telemetry:OtlpEndpont")]
    [InlineData("Switchyard:Admin:Keys", "Switchyard:Admin:Keys")]
    [InlineData("Switchyard:Nonsense:Deep:Key", "Switchyard:Nonsense")]
    public void An_unknown_key_is_named(string key, string named)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => ConfigurationLoader.Load(Configuration((key, "1"))));
        Assert.Contains(named + " (from ", exception.Message, StringComparison.Ordinal);
        Assert.Contains("unknown setting", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_documented_kind_of_setting_is_known()
    {
        var options = ConfigurationLoader.Load(Configuration(
            ("Switchyard:PingInterval", "00:00:05"),
            ("Switchyard:MaxConnections", "1000"),
            ("Switchyard:DataDirectory", Path.GetTempPath()),
            ("Switchyard:Upstream:FirstByteTimeout", "00:01:00"),
            ("Switchyard:Upstream:HttpVersion", "Http11"),
            ("Switchyard:Providers:0:Name", "local"),
            ("Switchyard:Providers:0:BaseUrl", "http://127.0.0.1:1"),
            ("Switchyard:Providers:0:Endpoints:0:BaseUrl", "http://127.0.0.1:2"),
            ("Switchyard:Models:Aliases:0:Pattern", "gpt-*"),
            ("Switchyard:Models:Aliases:0:Target", "deepseek-v4-flash"),
            ("Switchyard:Translation:EffortMap:low", "high"),
            ("Switchyard:Resilience:CircuitBreaker:BreakDuration", "00:00:10"),
            ("Switchyard:ReasoningMemory:MaxEntries", "10"),
            ("Switchyard:Auth:Keys:0", "sk-abc"),
            ("Switchyard:Storage:OutboxFsync", "true"),
            ("Switchyard:Limits:Models:deepseek-v4-pro:MaxConcurrency", "5"),
            ("Switchyard:Prices:0:Model", "deepseek-v4-pro"),
            ("Switchyard:Admin:Key", "admin"),
            ("Switchyard:Telemetry:OtlpEndpoint", "http://127.0.0.1:4317"),
            ("Switchyard:Telemetry:ServiceName", "gw"),
            ("Switchyard:RequestBodies:Retain", "true"),
            ("Logging:LogLevel:Whatever", "Warning")));
        Assert.Equal(TimeSpan.FromSeconds(5), options.PingInterval);
    }

    [Fact]
    public async Task The_server_and_the_commands_refuse_it_with_a_usage_exit_naming_the_source()
    {
        var result = await Tests.Cli.Cli.RunAsync(["serve", "--urls", "http://127.0.0.1:0", "--Switchyard:PingIntervall=00:00:05"]);
        Assert.Equal(2, result.Exit);
        Assert.Contains("Switchyard:PingIntervall (from command line)", result.Error, StringComparison.Ordinal);

        result = await Tests.Cli.Cli.RunAsync(["keys", "list", "--Switchyard:Storage:SqlitPath", "/tmp/x.db"]);
        Assert.Equal(2, result.Exit);
        Assert.Contains("Switchyard:Storage:SqlitPath", result.Error, StringComparison.Ordinal);
    }
}
