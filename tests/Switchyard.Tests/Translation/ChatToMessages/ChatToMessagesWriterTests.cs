using Switchyard.Anthropic;
using Switchyard.Translation;
using Switchyard.Translation.ChatToMessages;
using static Switchyard.Tests.Translation.ChatToMessages.ChatToMessagesFixture;

namespace Switchyard.Tests.Translation.ChatToMessages;

public sealed class ChatToMessagesWriterTests
{
    private static readonly ChatToMessagesRequest Read = new() { Model = "m", Messages = [new MessageParam("user", [new TextBlockParam("Hi")])], JsonObject = true };
    private static readonly ChatToMessagesPolicy Policy = new(false, ThinkingFallback.None, null, 100, null, null, null);

    [Fact]
    public void The_json_object_instruction_comes_from_the_options()
    {
        var body = new ChatToMessagesWriter(new ChatToMessagesOptions { JsonObjectInstruction = "JSON only." }).Write(Read, Policy, "claude-x");
        Assert.Equal("""{"model":"claude-x","max_tokens":100,"system":[{"type":"text","text":"JSON only."}],"messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}]}""", Text(body));
    }

    [Fact]
    public void Public_edges_check_their_arguments()
    {
        var writer = new ChatToMessagesWriter(new ChatToMessagesOptions());
        Assert.Throws<ArgumentNullException>(() => new ChatToMessagesWriter(null!));
        Assert.Throws<ArgumentNullException>(() => writer.Write(null!, Policy, "m"));
        Assert.Throws<ArgumentNullException>(() => writer.Write(Read, null!, "m"));
        Assert.ThrowsAny<ArgumentException>(() => writer.Write(Read, Policy, ""));
        Assert.Throws<ArgumentNullException>(() => new ChatToMessagesReader(null!, new ChatToMessagesOptions()));
        Assert.Throws<ArgumentNullException>(() => new ChatToMessagesReader(new DictionaryReasoningMemory(), null!));
        Assert.Throws<ArgumentNullException>(() => ChatToMessagesPolicy.Decide(null!, new ChatToMessagesOptions()));
    }
}
