using Switchyard.Tokenization;

namespace Switchyard.Tests.Tokenization;

/// <summary>Runs alone: it compares the heap before and after, which other tests' allocations would blur.</summary>
[CollectionDefinition(nameof(TokenizerMemoryCollection), DisableParallelization = true)]
public sealed class TokenizerMemoryCollection;

/// <summary>
/// A client can send one pre-token piece of megabytes (a long run of letters). Its scratch buffers must go back to the
/// GC, not into the shared array pool, which would hold them for the life of the process.
/// </summary>
[Collection(nameof(TokenizerMemoryCollection))]
public sealed class TokenizerMemoryTests
{
    [Fact]
    public void A_very_long_piece_leaves_no_scratch_buffers_behind()
    {
        var tokenizer = DeepSeekTokenizer.Shared;
        var piece = new string('a', 1_000_000);
        Assert.True(tokenizer.CountTokens("warm up the pool's small buffers") > 0);

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var counted = tokenizer.CountTokens(piece);
        var encoded = tokenizer.Encode(piece);
        var after = GC.GetTotalMemory(forceFullCollection: true);

        Assert.Equal(counted, encoded.Length);
        GC.KeepAlive(piece);
        Assert.True(after - before < 4 * 1024 * 1024 + encoded.Length * sizeof(int), $"the heap grew by {(after - before) / 1024 / 1024} MB");
    }
}
