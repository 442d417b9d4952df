using Anthropic.Models.Messages;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Lanes.MessagesToChat;

public sealed class SmokeTests
{
    [Fact]
    public async Task Sdk_gets_a_text_answer()
    {
        await using var host = await GatewayHost.StartAsync();
        var client = host.AnthropicClient();
        var message = await client.Messages.Create(new MessageCreateParams
        {
            Model = "claude-sonnet-4-5",
            MaxTokens = 200,
            Messages = [new UserMessageParam { Content = "Hello there" }],
        });
        Assert.Equal("deepseek-v4-flash", message.Model);
        var text = Assert.Single(message.Content);
        Assert.True(text.TryPickText(out var textBlock));
        Assert.Contains("Hello there", textBlock.Text);
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
    }
}
