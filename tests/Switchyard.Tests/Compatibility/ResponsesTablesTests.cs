using Switchyard.Compatibility;

namespace Switchyard.Tests.Compatibility;

public sealed class ResponsesTablesTests
{
    [Theory]
    [InlineData(CompatibilityScope.Tool, "web_search", Support.Rejected)]
    [InlineData(CompatibilityScope.Tool, "web_search_preview_2025_03_11", Support.Rejected)]
    [InlineData(CompatibilityScope.Tool, "computer_use_preview", Support.Rejected)]
    [InlineData(CompatibilityScope.Tool, "namespace", Support.Translated)]
    [InlineData(CompatibilityScope.Tool, "brand_new_tool", Support.Rejected)]
    [InlineData(CompatibilityScope.Item, "function_call_output", Support.Translated)]
    [InlineData(CompatibilityScope.Item, "mcp_call", Support.Rejected)]
    [InlineData(CompatibilityScope.Part, "input_image", Support.Rejected)]
    [InlineData(CompatibilityScope.Field, "prompt_cache_key", Support.Ignored)]
    [InlineData(CompatibilityScope.Field, "some_future_field", Support.Ignored)]
    [InlineData(CompatibilityScope.Field, "conversation", Support.Rejected)]
    public void Both_responses_lanes_reject_built_in_tools_and_unknown_items_and_ignore_unknown_fields(CompatibilityScope scope, string name, Support expected)
    {
        Assert.Equal(expected, CompatibilityTables.ResponsesToChat.Lookup(scope, name).Support);
        Assert.Equal(expected, CompatibilityTables.ResponsesToMessages.Lookup(scope, name).Support);
    }

    [Fact]
    public void Parallel_tool_calls_is_ignored_by_deepseek_and_translated_for_anthropic()
    {
        Assert.Equal(Support.Ignored, CompatibilityTables.ResponsesToChat.Lookup(CompatibilityScope.Field, "parallel_tool_calls").Support);
        Assert.Equal(Support.Translated, CompatibilityTables.ResponsesToMessages.Lookup(CompatibilityScope.Field, "parallel_tool_calls").Support);
    }

    [Fact]
    public void Both_tables_name_the_same_parts()
    {
        static IEnumerable<(CompatibilityScope, string)> Names(CompatibilityTable table) => table.Rules.Select(r => (r.Scope, r.Name));

        Assert.Equal(Names(CompatibilityTables.ResponsesToChat), Names(CompatibilityTables.ResponsesToMessages));
    }
}
