using System.Text.Json;
using Switchyard.Translation.StructuredOutput;

namespace Switchyard.Tests.Translation.StructuredOutput;

public sealed class StructuredOutputTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    // What the AI SDK (draft-07) and LangChain (2020-12) send for z.object({ city: z.string(), population: z.number().int() }).
    private const string AiSdk = """{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"city":{"type":"string"},"population":{"type":"integer","minimum":-9007199254740991,"maximum":9007199254740991}},"required":["city","population"],"additionalProperties":false}""";
    private const string LangChain = """{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"city":{"type":"string","title":"extract"},"population":{"type":"integer","title":"extract"}},"required":["city","population"],"additionalProperties":false,"title":"extract"}""";

    [Theory]
    [InlineData(AiSdk, true)]
    [InlineData(LangChain, true)]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}""", false)]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}},"required":["a"],"additionalProperties":false}""", false)]
    [InlineData("""{"type":"object","properties":{"a":{"$ref":"#/$defs/x"}},"required":["a"],"additionalProperties":false}""", false)]
    [InlineData("""{"type":"object","properties":{"tags":{"type":"array","items":{"enum":["a","b"]}},"n":{"anyOf":[{"type":"integer"},{"type":"string"}]}},"required":["tags","n"],"additionalProperties":false}""", true)]
    public void The_strict_subset_is_recognised(string schema, bool fits) => Assert.Equal(fits, StrictSchema.Fits(Json(schema)));

    [Fact]
    public void A_reduced_strict_schema_keeps_only_the_documented_keywords()
    {
        var reduced = StrictSchema.Reduce(Json(LangChain)).GetRawText();
        Assert.Equal("""{"type":"object","properties":{"city":{"type":"string"},"population":{"type":"integer"}},"required":["city","population"],"additionalProperties":false}""", reduced);
    }

    [Fact]
    public void The_validator_names_what_is_wrong_and_where()
    {
        var schema = Json(AiSdk);
        Assert.Empty(SchemaValidator.Problems(schema, """{"city":"Paris","population":2100000}"""));
        Assert.Contains(SchemaValidator.Problems(schema, """{"city":"Paris"}"""), p => p.Contains("population", StringComparison.Ordinal));
        Assert.Contains(SchemaValidator.Problems(schema, """{"city":"Paris","population":1.5}"""), p => p.StartsWith("/population", StringComparison.Ordinal));
        Assert.Contains(SchemaValidator.Problems(schema, "not json"), p => p.Contains("not valid JSON", StringComparison.Ordinal));
        Assert.Single(SchemaValidator.Problems(schema, ""));
    }

    [Fact]
    public void The_plan_forces_a_call_unless_the_client_has_tools()
    {
        var schema = new OutputSchema("city", Json(AiSdk));
        Assert.Equal(StructuredOutputMode.StrictTool, StructuredOutputPlanner.Plan(schema, clientTools: false, strictAvailable: true).Mode);
        Assert.Equal(StructuredOutputMode.ForcedTool, StructuredOutputPlanner.Plan(schema, clientTools: false, strictAvailable: false).Mode);
        var jsonMode = StructuredOutputPlanner.Plan(schema, clientTools: true, strictAvailable: true);
        Assert.Equal(StructuredOutputMode.JsonMode, jsonMode.Mode);
        Assert.False(jsonMode.DisablesThinking);
        Assert.Contains("json", jsonMode.Instruction, StringComparison.OrdinalIgnoreCase);
    }
}
