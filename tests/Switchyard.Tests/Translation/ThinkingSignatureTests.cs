using Switchyard.Translation;

namespace Switchyard.Tests.Translation;

/// <summary>Signatures come from clients: any text is a verdict, never an exception.</summary>
public sealed class ThinkingSignatureTests
{
    [Theory]
    [InlineData("sy1.garbage")]
    [InlineData("sy1.!!!!")]
    [InlineData("sy1.")]
    [InlineData("sy1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")]
    [InlineData("sy1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("sy1o.garbage")]
    [InlineData("sy1o.!!.AAAA")]
    [InlineData("sy1o.AAAA.garbage")]
    public void Malformed_switchyard_signatures_are_tampered(string signature)
    {
        Assert.Equal(SignatureCheck.Tampered, TranslationFixture.Signature.Verify("x", signature, out _));
    }

    [Fact]
    public void Own_signatures_still_verify()
    {
        var signature = TranslationFixture.Signature.Sign("reasoning");
        Assert.Equal(SignatureCheck.Verified, TranslationFixture.Signature.Verify("reasoning", signature, out _));
        Assert.Equal(SignatureCheck.Tampered, TranslationFixture.Signature.Verify("changed", signature, out _));
        Assert.Equal(SignatureCheck.Foreign, TranslationFixture.Signature.Verify("x", "EqQKCAgBEAEYAiJA", out _));
    }
}
