using Switchyard.Tokenization;

namespace Switchyard.Tests.Tokenization;

public sealed class BpeMergerTests
{
    [Fact]
    public void Long_pieces_use_heap_merge_and_agree_with_small_merge()
    {
        var tok = DeepSeekTokenizer.Create();
        foreach (var piece in new[] { new string('a', 300), string.Concat(Enumerable.Repeat("ab", 200)), new string(' ', 500), "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg" })
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(piece);
            var heap = new int[bytes.Length];
            var n = new BpeMerger(tok.Vocabulary).Merge(bytes, heap);
            // Encode the same piece in chunks small enough for the O(n²) path is not equivalent; instead check decode.
            Assert.Equal(piece, tok.Decode(heap.Take(n)));
            Assert.True(n < bytes.Length);
        }
    }
}
