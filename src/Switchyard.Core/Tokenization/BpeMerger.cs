namespace Switchyard.Tokenization;

/// <summary>
/// Byte-level BPE merging of one pre-tokenized piece by merge rank (then leftmost), as in DeepSeek's reference
/// tokenizer: quadratic for short pieces, a heap over a linked list for long ones. Thread-safe (no state but the vocabulary).
/// </summary>
internal sealed class BpeMerger(BpeVocabulary vocab)
{
    private const int HeapThreshold = 64;

    private readonly BpeVocabulary _vocab = vocab;

    /// <summary>Applies the merges to a piece's bytes; writes the ids to <paramref name="output"/> and returns their count.</summary>
    public int Merge(ReadOnlySpan<byte> bytes, Span<int> output)
    {
        var n = bytes.Length;
        for (var i = 0; i < n; i++)
        {
            output[i] = _vocab.ByteToId(bytes[i]);
        }

        if (n < 2)
        {
            return n;
        }

        return n <= HeapThreshold ? MergeSmall(output, n) : MergeLarge(output, n);
    }

    /// <summary>O(n²) merging for short pieces: repeatedly merges the lowest-rank (then leftmost) adjacent pair.</summary>
    private int MergeSmall(Span<int> ids, int n)
    {
        Span<int> ranks = stackalloc int[HeapThreshold];
        Span<int> merged = stackalloc int[HeapThreshold];
        for (var i = 0; i < n - 1; i++)
        {
            ranks[i] = _vocab.TryGetMerge(ids[i], ids[i + 1], out var r, out var m) ? r : int.MaxValue;
            merged[i] = m;
        }

        while (n > 1)
        {
            var best = int.MaxValue;
            var at = -1;
            for (var i = 0; i < n - 1; i++)
            {
                if (ranks[i] < best)
                {
                    best = ranks[i];
                    at = i;
                }
            }

            if (at < 0)
            {
                break;
            }

            ids[at] = merged[at];
            // Remove element at+1.
            ids.Slice(at + 2, n - at - 2).CopyTo(ids[(at + 1)..]);
            ranks.Slice(at + 1, n - at - 2).CopyTo(ranks[at..]);
            merged.Slice(at + 1, n - at - 2).CopyTo(merged[at..]);
            n--;
            if (at < n - 1)
            {
                ranks[at] = _vocab.TryGetMerge(ids[at], ids[at + 1], out var r, out var m) ? r : int.MaxValue;
                merged[at] = m;
            }

            if (at > 0)
            {
                ranks[at - 1] = _vocab.TryGetMerge(ids[at - 1], ids[at], out var r, out var m) ? r : int.MaxValue;
                merged[at - 1] = m;
            }
        }

        return n;
    }

    /// <summary>Heap-based merging over a linked list for long pieces (priority: rank, then position).</summary>
    private int MergeLarge(Span<int> ids, int n)
    {
        var sym = ScratchArray.Rent<int>(n);
        var next = ScratchArray.Rent<int>(n);
        var prev = ScratchArray.Rent<int>(n);
        try
        {
            var queue = new PriorityQueue<(int Pos, int Merged), long>(n);
            for (var i = 0; i < n; i++)
            {
                sym[i] = ids[i];
                next[i] = i + 1 < n ? i + 1 : -1;
                prev[i] = i - 1;
            }

            for (var i = 0; i < n - 1; i++)
            {
                if (_vocab.TryGetMerge(sym[i], sym[i + 1], out var r, out var m))
                {
                    queue.Enqueue((i, m), ((long)r << 32) | (uint)i);
                }
            }

            while (queue.TryDequeue(out var top, out _))
            {
                var pos = top.Pos;
                if (sym[pos] < 0 || next[pos] < 0)
                {
                    continue;
                }

                var right = next[pos];
                if (!_vocab.TryGetMerge(sym[pos], sym[right], out _, out var expected) || expected != top.Merged)
                {
                    continue; // stale entry
                }

                sym[pos] = top.Merged;
                sym[right] = -1;
                next[pos] = next[right];
                if (next[pos] >= 0)
                {
                    prev[next[pos]] = pos;
                }

                var p = prev[pos];
                if (p >= 0 && _vocab.TryGetMerge(sym[p], sym[pos], out var r1, out var m1))
                {
                    queue.Enqueue((p, m1), ((long)r1 << 32) | (uint)p);
                }

                var nx = next[pos];
                if (nx >= 0 && _vocab.TryGetMerge(sym[pos], sym[nx], out var r2, out var m2))
                {
                    queue.Enqueue((pos, m2), ((long)r2 << 32) | (uint)pos);
                }
            }

            var count = 0;
            for (var i = 0; i >= 0; i = next[i])
            {
                ids[count++] = sym[i];
            }

            return count;
        }
        finally
        {
            ScratchArray.Return(sym);
            ScratchArray.Return(next);
            ScratchArray.Return(prev);
        }
    }
}
