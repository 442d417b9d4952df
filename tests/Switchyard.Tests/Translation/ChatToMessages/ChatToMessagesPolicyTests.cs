using System.Text.Json;
using Switchyard.Anthropic;
using Switchyard.Translation;
using Switchyard.Translation.ChatToMessages;

namespace Switchyard.Tests.Translation.ChatToMessages;

public sealed class ChatToMessagesPolicyTests
{
    private static readonly ChatToMessagesOptions Options = new();
    private static readonly MessageParam Question = new("user", [new TextBlockParam("q")]);

    private static ChatToMessagesRequest Request(
        bool? thinking = null, string? effort = null, int? budget = null, int? maxTokens = null, double? temperature = null, double? topP = null,
        string? toolChoice = null, IReadOnlyList<MessageParam>? messages = null) => new()
    {
        Model = "m",
        Messages = messages ?? [Question],
        ThinkingType = thinking,
        ReasoningEffort = effort,
        BudgetTokens = budget,
        MaxTokens = maxTokens,
        Temperature = temperature,
        TopP = topP,
        ToolChoice = toolChoice,
    };

    [Theory]
    [InlineData(null, null, false)]
    [InlineData(null, "none", false)]
    [InlineData(null, "low", true)]
    [InlineData(true, null, true)]
    [InlineData(true, "none", true)]
    [InlineData(false, "high", false)]
    public void An_explicit_thinking_type_wins_and_any_effort_but_none_turns_thinking_on(bool? type, string? effort, bool thinking) =>
        Assert.Equal(thinking, ChatToMessagesPolicy.Decide(Request(type, effort), Options).Thinking);

    [Theory]
    [InlineData(null, null, null, 8192, 16384)] // the default effort's budget; max_tokens grows to keep the default for the answer
    [InlineData("medium", null, null, 4096, 8192)]
    [InlineData("max", null, 10000, 5000, 10000)] // at most half of the client's max_tokens
    [InlineData("high", null, 500, 1024, 1524)] // never below 1,024: max_tokens becomes budget + the client's
    [InlineData(null, 100, null, 1024, 8192)] // an explicit budget, raised to Anthropic's minimum
    [InlineData(null, 20000, 30000, 15000, 30000)]
    public void Budgets_fit_below_max_tokens(string? effort, int? explicitBudget, int? maxTokens, int budget, int sent)
    {
        var policy = ChatToMessagesPolicy.Decide(Request(thinking: true, effort: effort, budget: explicitBudget, maxTokens: maxTokens), Options);
        Assert.Equal(budget, policy.Budget);
        Assert.Equal(sent, policy.MaxTokens);
        Assert.True(policy.Budget < policy.MaxTokens);
    }

    [Theory]
    [InlineData("minimal", "low")]
    [InlineData("ultra", "max")]
    [InlineData("xhigh", "xhigh")]
    [InlineData(null, null)]
    public void Effort_maps_to_anthropics_scale(string? effort, string? sent) =>
        Assert.Equal(sent, ChatToMessagesPolicy.Decide(Request(thinking: true, effort: effort), Options).Effort);

    [Fact]
    public void Sampling_follows_thinking()
    {
        var plain = ChatToMessagesPolicy.Decide(Request(temperature: 1.7, topP: 0.5), Options);
        Assert.Equal((1.0, (double?)null), (plain.Temperature, plain.TopP));
        Assert.Equal(0.5, ChatToMessagesPolicy.Decide(Request(topP: 0.5), Options).TopP);
        var thinking = ChatToMessagesPolicy.Decide(Request(effort: "high", temperature: 0.3, topP: 0.5), Options);
        Assert.Equal(((double?)null, 0.95), (thinking.Temperature, thinking.TopP));
        Assert.Equal(0.99, ChatToMessagesPolicy.Decide(Request(effort: "high", topP: 0.99), Options).TopP);
        Assert.Null(ChatToMessagesPolicy.Decide(Request(effort: "high"), Options).TopP);
    }

    [Fact]
    public void A_forced_tool_or_an_unsigned_tool_loop_turns_thinking_off()
    {
        Assert.Equal(ThinkingFallback.ForcedToolChoice, ChatToMessagesPolicy.Decide(Request(effort: "high", toolChoice: "any"), Options).Fallback);
        Assert.Equal(ThinkingFallback.ForcedToolChoice, ChatToMessagesPolicy.Decide(Request(thinking: true, toolChoice: "tool"), Options).Fallback);
        Assert.Equal(ThinkingFallback.None, ChatToMessagesPolicy.Decide(Request(effort: "high", toolChoice: "auto"), Options).Fallback);
        Assert.Equal(ThinkingFallback.None, ChatToMessagesPolicy.Decide(Request(toolChoice: "any"), Options).Fallback);

        using var input = JsonDocument.Parse("{}");
        var call = new ToolUseBlockParam("t1", "f", input.RootElement.Clone());
        MessageParam[] unsigned = [Question, new("assistant", [call]), new("system", [new TextBlockParam("note")]), new("user", [new ToolResultBlockParam("t1", "r")])];
        var policy = ChatToMessagesPolicy.Decide(Request(effort: "high", maxTokens: 100, messages: unsigned), Options);
        Assert.Equal((false, ThinkingFallback.UnsignedToolLoop, (int?)null, 100), (policy.Thinking, policy.Fallback, policy.Budget, policy.MaxTokens));

        MessageParam[] signed = [Question, new("assistant", [new RedactedThinkingBlockParam("x"), call]), new("user", [new ToolResultBlockParam("t1", "r")])];
        Assert.True(ChatToMessagesPolicy.Decide(Request(effort: "high", messages: signed), Options).Thinking);
        MessageParam[] answered = [.. unsigned, new("assistant", [new TextBlockParam("done")]), new("user", [new TextBlockParam("thanks")])];
        Assert.True(ChatToMessagesPolicy.Decide(Request(effort: "high", messages: answered), Options).Thinking);
    }
}
