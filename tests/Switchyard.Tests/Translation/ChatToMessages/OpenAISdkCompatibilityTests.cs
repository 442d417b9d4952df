using System.ClientModel.Primitives;
using OpenAI.Chat;
using Switchyard.Translation.ChatToMessages;
using static Switchyard.Tests.Translation.ChatToMessages.ChatToMessagesFixture;

namespace Switchyard.Tests.Translation.ChatToMessages;

/// <summary>The official OpenAI .NET SDK reads what the translators write.</summary>
public sealed class OpenAISdkCompatibilityTests
{
    [Fact]
    public void The_sdk_reads_a_translated_completion()
    {
        var bytes = new MessagesToChatResponseTranslator(new DictionaryReasoningMemory()).Translate(Parse("""
            {"id":"msg_1","model":"claude-x","content":[{"type":"thinking","thinking":"t","signature":"s"},{"type":"text","text":"Calling."},
              {"type":"tool_use","id":"toolu_1","name":"w","input":{"city":"Paris"}}],
             "stop_reason":"tool_use","usage":{"input_tokens":10,"cache_read_input_tokens":30,"output_tokens":4}}
            """)).Body;
        var completion = ModelReaderWriter.Read<ChatCompletion>(BinaryData.FromBytes(bytes))!;
        Assert.Equal("chatcmpl-1", completion.Id);
        Assert.Equal("claude-x", completion.Model);
        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Equal("Calling.", completion.Content[0].Text);
        Assert.Equal("toolu_1", completion.ToolCalls[0].Id);
        Assert.Equal("w", completion.ToolCalls[0].FunctionName);
        Assert.Equal("""{"city":"Paris"}""", completion.ToolCalls[0].FunctionArguments.ToString());
        Assert.Equal(40, completion.Usage.InputTokenCount);
        Assert.Equal(30, completion.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(44, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public void The_sdk_reads_every_translated_chunk_including_the_usage_only_one()
    {
        var translator = new MessagesToChatStreamTranslator(new DictionaryReasoningMemory(), includeUsage: true);
        var chunks = new List<byte[]>();
        foreach (var (name, data) in new[]
        {
            ("message_start", """{"type":"message_start","message":{"id":"msg_1","model":"claude-x","content":[],"usage":{"input_tokens":12,"output_tokens":1}}}"""),
            ("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"""),
            ("content_block_stop", """{"type":"content_block_stop","index":0}"""),
            ("content_block_start", """{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"w","input":{}}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{}"}}"""),
            ("content_block_stop", """{"type":"content_block_stop","index":1}"""),
            ("message_delta", """{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":9}}"""),
            ("message_stop", """{"type":"message_stop"}"""),
        })
        {
            translator.Process(name, Parse(data), chunks);
        }

        var updates = chunks.Select(c => ModelReaderWriter.Read<StreamingChatCompletionUpdate>(BinaryData.FromBytes(c))!).ToList();
        Assert.Equal(ChatMessageRole.Assistant, updates[0].Role);
        Assert.Equal("Hi", updates[1].ContentUpdate[0].Text);
        Assert.Equal("toolu_1", updates[2].ToolCallUpdates[0].ToolCallId);
        Assert.Equal(0, updates[2].ToolCallUpdates[0].Index);
        Assert.Equal("{}", updates[3].ToolCallUpdates[0].FunctionArgumentsUpdate.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, updates[^2].FinishReason);
        Assert.Equal(21, updates[^1].Usage.TotalTokenCount);
        Assert.Null(updates[^1].FinishReason);
    }
}
