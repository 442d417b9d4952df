using Switchyard.Translation;

namespace Switchyard.Tests.Translation;

public sealed class ReasoningSealTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void A_seal_opens_with_the_same_key_and_hides_the_text()
    {
        var seal = new ReasoningSeal(Key);
        var reasoning = "The user wants the file. Ünïcode and \"quotes\" survive. " + new string('x', 5000);

        var sealedText = seal.Seal(reasoning);

        Assert.StartsWith("sy1r.", sealedText, StringComparison.Ordinal);
        Assert.DoesNotContain("user wants", sealedText, StringComparison.Ordinal);
        Assert.True(new ReasoningSeal(Key).TryOpen(sealedText, out var opened));
        Assert.Equal(reasoning, opened);
        Assert.NotEqual(sealedText, seal.Seal(reasoning));
    }

    [Fact]
    public void Altered_foreign_or_other_key_seals_do_not_open()
    {
        var sealedText = new ReasoningSeal(Key).Seal("secret reasoning");
        var flipped = sealedText[..^3] + (sealedText[^3] == 'A' ? 'B' : 'A') + sealedText[^2..];

        Assert.False(new ReasoningSeal(Key).TryOpen(flipped, out _));
        Assert.False(new ReasoningSeal([.. Key.Reverse()]).TryOpen(sealedText, out _));
        Assert.False(new ReasoningSeal(Key).TryOpen("gAAAAABo-openai-encrypted", out _));
        Assert.False(new ReasoningSeal(Key).TryOpen("sy1r.!!!", out _));
        Assert.False(new ReasoningSeal(Key).TryOpen("sy1r.AAAA", out _));
    }
}
