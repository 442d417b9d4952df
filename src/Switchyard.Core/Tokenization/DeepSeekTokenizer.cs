using System.Buffers;
using System.Collections.Concurrent;
using System.Text;

namespace Switchyard.Tokenization;

/// <summary>
/// DeepSeek V3's byte-level BPE tokenizer (tokenizer.json of deepseek-ai/DeepSeek-V3): the pre-tokenizer's Split
/// regexes, GPT-2 byte-level mapping, merges by rank, and the added tokens such as <c>&lt;｜User｜&gt;</c>.
/// Token ids are identical to the reference implementation's. Thread-safe; keeps a bounded cache of
/// pre-tokenized pieces.
/// </summary>
public sealed class DeepSeekTokenizer
{
    private const int MaxCachedPieceLength = 128;
    private const int MaxCacheEntries = 1 << 17;

    private static readonly Lazy<DeepSeekTokenizer> s_shared =
        new(() => new DeepSeekTokenizer(BpeVocabulary.LoadEmbedded()), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly BpeVocabulary _vocab;
    private readonly BpeMerger _merger;
    private readonly ConcurrentDictionary<string, int[]> _cache;
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _cacheLookup;
    private int _cacheCount;

    private DeepSeekTokenizer(BpeVocabulary vocab)
    {
        _vocab = vocab;
        _merger = new BpeMerger(vocab);
        _cache = new ConcurrentDictionary<string, int[]>(StringComparer.Ordinal);
        _cacheLookup = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The process-wide instance, loaded lazily from the embedded vocabulary on first use.</summary>
    public static DeepSeekTokenizer Shared => s_shared.Value;

    /// <summary>Creates a new instance from the embedded vocabulary (with its own, empty cache).</summary>
    public static DeepSeekTokenizer Create() => new(BpeVocabulary.LoadEmbedded());

    /// <summary>Number of ids of the BPE model; added tokens have ids at and above it (besides 0–2).</summary>
    public int VocabularySize => _vocab.VocabularySize;

    internal BpeVocabulary Vocabulary => _vocab;

    /// <summary>Encodes plain text: added/special token strings in <paramref name="text"/> are tokenized as text.</summary>
    public int[] Encode(string text) => Encode(text, parseSpecialTokens: false);

    /// <summary>
    /// Encodes <paramref name="text"/>. With <paramref name="parseSpecialTokens"/>, occurrences of added tokens
    /// (e.g. <c>&lt;｜User｜&gt;</c>) become their ids, as in DeepSeek's (Hugging Face) default behaviour; no BOS is added.
    /// </summary>
    public int[] Encode(string text, bool parseSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sink = new IdSink(Math.Max(16, text.Length / 3));
        try
        {
            Run(text, parseSpecialTokens, ref sink);
            return sink.ToArray();
        }
        finally
        {
            sink.Dispose();
        }
    }

    /// <summary>Counts the tokens of plain text (same as <c>Encode(text).Length</c>) without building the id array.</summary>
    public int CountTokens(ReadOnlySpan<char> text) => CountTokens(text, parseSpecialTokens: false);

    /// <summary>Counts the tokens of <paramref name="text"/>; see <see cref="Encode(string, bool)"/>.</summary>
    public int CountTokens(ReadOnlySpan<char> text, bool parseSpecialTokens)
    {
        var sink = default(CountSink);
        Run(text, parseSpecialTokens, ref sink);
        return sink.Count;
    }

    /// <summary>Decodes ids to text (invalid UTF-8 byte sequences become U+FFFD).</summary>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var buffer = new ArrayBufferWriter<byte>(256);
        foreach (var id in ids)
        {
            buffer.Write(_vocab.GetBytes(id));
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Id of an added/special token such as <c>&lt;｜begin▁of▁sentence｜&gt;</c>, or null if it is not one.</summary>
    public int? GetSpecialTokenId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _vocab.TryGetAdded(token, out var id) ? id : null;
    }

    /// <summary>Empties the piece cache (for benchmarks of cold encoding).</summary>
    public void ClearCache()
    {
        _cache.Clear();
        Interlocked.Exchange(ref _cacheCount, 0);
    }

    private interface ISink
    {
        void Add(int id);

        void AddRange(ReadOnlySpan<int> ids);
    }

    private struct CountSink : ISink
    {
        public int Count;

        public void Add(int id) => Count++;

        public void AddRange(ReadOnlySpan<int> ids) => Count += ids.Length;
    }

    private struct IdSink : ISink, IDisposable
    {
        private int[] _buffer;
        private int _count;

        public IdSink(int capacity)
        {
            _buffer = ScratchArray.Rent<int>(capacity);
            _count = 0;
        }

        public void Add(int id)
        {
            if (_count == _buffer.Length)
            {
                Grow(1);
            }

            _buffer[_count++] = id;
        }

        public void AddRange(ReadOnlySpan<int> ids)
        {
            if (_count + ids.Length > _buffer.Length)
            {
                Grow(ids.Length);
            }

            ids.CopyTo(_buffer.AsSpan(_count));
            _count += ids.Length;
        }

        private void Grow(int extra)
        {
            var next = ScratchArray.Rent<int>(Math.Max(_buffer.Length * 2, _count + extra));
            _buffer.AsSpan(0, _count).CopyTo(next);
            ScratchArray.Return(_buffer);
            _buffer = next;
        }

        public readonly int[] ToArray() => _buffer.AsSpan(0, _count).ToArray();

        public void Dispose()
        {
            if (_buffer is not null)
            {
                ScratchArray.Return(_buffer);
                _buffer = null!;
            }
        }
    }

    private void Run<TSink>(ReadOnlySpan<char> text, bool parseSpecialTokens, ref TSink sink)
        where TSink : struct, ISink
    {
        if (!parseSpecialTokens)
        {
            EncodeText(text, ref sink);
            return;
        }

        var start = 0;
        var i = 0;
        while (i < text.Length)
        {
            var lt = text[i..].IndexOf('<');
            if (lt < 0)
            {
                break;
            }

            i += lt;
            if (TryMatchAdded(text, i, out var id, out var length))
            {
                EncodeText(text[start..i], ref sink);
                sink.Add(id);
                i += length;
                start = i;
            }
            else
            {
                i++;
            }
        }

        EncodeText(text[start..], ref sink);
    }

    /// <summary>Longest added token starting at <paramref name="i"/> (all start with '&lt;' and end at their only '&gt;').</summary>
    private bool TryMatchAdded(ReadOnlySpan<char> text, int i, out int id, out int length)
    {
        var window = text.Slice(i, Math.Min(text.Length - i, _vocab.MaxAddedTokenLength));
        if (_vocab.AddedTokensWellFormed)
        {
            var gt = window.IndexOf('>');
            if (gt > 0 && _vocab.TryGetAdded(window[..(gt + 1)], out id))
            {
                length = gt + 1;
                return true;
            }
        }
        else
        {
            for (var len = window.Length; len > 0; len--)
            {
                if (_vocab.TryGetAdded(window[..len], out id))
                {
                    length = len;
                    return true;
                }
            }
        }

        id = 0;
        length = 0;
        return false;
    }

    private void EncodeText<TSink>(ReadOnlySpan<char> text, ref TSink sink)
        where TSink : struct, ISink
    {
        if (text.IsEmpty)
        {
            return;
        }

        byte[]? rentedBytes = null;
        int[]? rentedIds = null;
        Span<byte> bytes = stackalloc byte[512];
        Span<int> ids = stackalloc int[512];
        try
        {
            var e = new PreTokenizer.Enumerator(text);
            while (e.MoveNext())
            {
                var piece = e.Current;
                var cacheable = piece.Length <= MaxCachedPieceLength;
                if (cacheable && _cacheLookup.TryGetValue(piece, out var cached))
                {
                    sink.AddRange(cached);
                    continue;
                }

                var maxBytes = Encoding.UTF8.GetMaxByteCount(piece.Length);
                if (maxBytes > bytes.Length)
                {
                    if (rentedBytes is not null)
                    {
                        ScratchArray.Return(rentedBytes);
                    }

                    if (rentedIds is not null)
                    {
                        ScratchArray.Return(rentedIds);
                    }

                    rentedBytes = ScratchArray.Rent<byte>(maxBytes);
                    rentedIds = ScratchArray.Rent<int>(maxBytes);
                    bytes = rentedBytes;
                    ids = rentedIds;
                }

                var byteCount = Encoding.UTF8.GetBytes(piece, bytes);
                var n = _merger.Merge(bytes[..byteCount], ids);
                var result = ids[..n];
                sink.AddRange(result);
                if (cacheable)
                {
                    AddToCache(piece, result);
                }
            }
        }
        finally
        {
            if (rentedBytes is not null)
            {
                ScratchArray.Return(rentedBytes);
            }

            if (rentedIds is not null)
            {
                ScratchArray.Return(rentedIds);
            }
        }
    }

    private void AddToCache(ReadOnlySpan<char> piece, ReadOnlySpan<int> ids)
    {
        if (Volatile.Read(ref _cacheCount) >= MaxCacheEntries)
        {
            ClearCache();
        }

        if (_cacheLookup.TryAdd(piece, ids.ToArray()))
        {
            Interlocked.Increment(ref _cacheCount);
        }
    }
}
