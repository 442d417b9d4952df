using System.IO.Compression;
using System.Numerics;
using System.Text;

namespace Switchyard.Tokenization;

/// <summary>
/// The immutable DeepSeek V3 vocabulary: token bytes, the merge table (pair → rank and merged id) and the
/// added (special) tokens. Loaded from the Brotli-compressed binary written by tests/golden/generate.mjs.
/// </summary>
internal sealed class BpeVocabulary
{
    internal const string ResourceName = "Switchyard.Tokenization.Resources.deepseek_v3.bpe.br";
    private static ReadOnlySpan<byte> Magic => "DSV3BPE1"u8;

    private readonly byte[] _tokenBytes;
    private readonly int[] _tokenOffsets;
    private readonly MergeTable _merges;
    private readonly int[] _byteToId = new int[256];
    private readonly Dictionary<string, int> _addedByContent;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _addedLookup;
    private readonly Dictionary<int, byte[]> _addedBytesById;

    private BpeVocabulary(int size, byte[] tokenBytes, int[] tokenOffsets, MergeTable merges,
        Dictionary<string, int> added, Dictionary<int, byte[]> addedBytes)
    {
        VocabularySize = size;
        _tokenBytes = tokenBytes;
        _tokenOffsets = tokenOffsets;
        _merges = merges;
        _addedByContent = added;
        _addedLookup = added.GetAlternateLookup<ReadOnlySpan<char>>();
        _addedBytesById = addedBytes;
        Array.Fill(_byteToId, -1);
        for (var id = 0; id < size; id++)
        {
            if (tokenOffsets[id + 1] - tokenOffsets[id] == 1)
            {
                var b = tokenBytes[tokenOffsets[id]];
                if (_byteToId[b] < 0)
                {
                    _byteToId[b] = id;
                }
            }
        }

        foreach (var id in _byteToId)
        {
            if (id < 0)
            {
                throw new InvalidDataException("Vocabulary lacks a single-byte token.");
            }
        }

        var max = 0;
        var wellFormed = true;
        foreach (var content in added.Keys)
        {
            max = Math.Max(max, content.Length);
            wellFormed &= content.Length >= 2 && content[0] == '<' && content.IndexOf('>', StringComparison.Ordinal) == content.Length - 1;
        }

        MaxAddedTokenLength = max;
        AddedTokensWellFormed = wellFormed;
    }

    /// <summary>Number of ids of the BPE model (0..VocabularySize-1).</summary>
    public int VocabularySize { get; }

    /// <summary>Length in chars of the longest added token.</summary>
    public int MaxAddedTokenLength { get; }

    /// <summary>True when every added token starts with '&lt;' and contains its only '&gt;' at the end.</summary>
    public bool AddedTokensWellFormed { get; }

    /// <summary>Id of the token made of the single byte <paramref name="b"/>.</summary>
    public int ByteToId(byte b) => _byteToId[b];

    /// <summary>Looks up a merge of two adjacent ids.</summary>
    public bool TryGetMerge(int left, int right, out int rank, out int merged) => _merges.TryGet(left, right, out rank, out merged);

    /// <summary>Looks up an added token by its exact text.</summary>
    public bool TryGetAdded(ReadOnlySpan<char> content, out int id) => _addedLookup.TryGetValue(content, out id);

    /// <summary>The bytes a token id decodes to.</summary>
    public ReadOnlySpan<byte> GetBytes(int id)
    {
        if ((uint)id < (uint)VocabularySize)
        {
            return _tokenBytes.AsSpan(_tokenOffsets[id], _tokenOffsets[id + 1] - _tokenOffsets[id]);
        }

        if (_addedBytesById.TryGetValue(id, out var bytes))
        {
            return bytes;
        }

        throw new ArgumentOutOfRangeException(nameof(id), id, "Unknown token id.");
    }

    /// <summary>Loads the vocabulary embedded in this assembly.</summary>
    public static BpeVocabulary LoadEmbedded()
    {
        using var stream = typeof(BpeVocabulary).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} not found.");
        return Load(stream);
    }

    /// <summary>Loads a vocabulary from a Brotli-compressed stream in the DSV3BPE1 format.</summary>
    public static BpeVocabulary Load(Stream compressed)
    {
        // Temporary arrays are few on purpose: what the load allocates stays in the (large object) heap of the
        // process until a full GC, so the decompressed buffer is used in place and the merges are read twice
        // instead of being copied into per-merge arrays.
        byte[] raw;
        using (var brotli = new BrotliStream(compressed, CompressionMode.Decompress))
        using (var ms = new MemoryStream(1 << 20))
        {
            brotli.CopyTo(ms);
            raw = ms.GetBuffer();
        }

        var r = new Reader(raw);
        if (!raw.AsSpan().StartsWith(Magic))
        {
            throw new InvalidDataException("Bad vocabulary magic.");
        }

        r.Position = Magic.Length;
        var size = r.VarInt();
        var lengths = new int[size];
        var explicitOffsets = new int[size]; // where an explicit token's bytes are in raw (its length is in lengths)
        var explicitCount = r.VarInt();
        for (var i = 0; i < explicitCount; i++)
        {
            var id = r.VarInt();
            var len = r.VarInt();
            explicitOffsets[id] = r.Position;
            lengths[id] = len;
            r.Position += len;
        }

        var mergeCount = r.VarInt();
        var mergesStart = r.Position;
        var merges = new MergeTable(mergeCount);
        for (var rank = 0; rank < mergeCount; rank++)
        {
            var left = r.VarInt();
            var right = r.VarInt();
            var merged = r.VarInt() + rank;
            lengths[merged] = lengths[left] + lengths[right];
            merges.Add(left, right, rank, merged);
        }

        var afterMerges = r.Position;
        var offsets = new int[size + 1];
        for (var id = 0; id < size; id++)
        {
            offsets[id + 1] = offsets[id] + lengths[id];
        }

        var bytes = new byte[offsets[size]];
        for (var id = 0; id < size; id++)
        {
            if (lengths[id] > 0 && explicitOffsets[id] > 0)
            {
                raw.AsSpan(explicitOffsets[id], lengths[id]).CopyTo(bytes.AsSpan(offsets[id]));
            }
        }

        r.Position = mergesStart;
        for (var rank = 0; rank < mergeCount; rank++)
        {
            var l = r.VarInt();
            var rt = r.VarInt();
            var dst = offsets[r.VarInt() + rank];
            bytes.AsSpan(offsets[l], lengths[l]).CopyTo(bytes.AsSpan(dst));
            bytes.AsSpan(offsets[rt], lengths[rt]).CopyTo(bytes.AsSpan(dst + lengths[l]));
        }

        r.Position = afterMerges;

        var addedCount = r.VarInt();
        var added = new Dictionary<string, int>(addedCount, StringComparer.Ordinal);
        var addedBytes = new Dictionary<int, byte[]>(addedCount);
        for (var i = 0; i < addedCount; i++)
        {
            var id = r.VarInt();
            r.Position++; // flags (special / not special): both kinds are split out alike
            var len = r.VarInt();
            var utf8 = raw.AsSpan(r.Position, len).ToArray();
            r.Position += len;
            added[Encoding.UTF8.GetString(utf8)] = id;
            addedBytes[id] = utf8;
        }

        return new BpeVocabulary(size, bytes, offsets, merges, added, addedBytes);
    }

    private struct Reader(byte[] data)
    {
        public int Position;

        public int VarInt()
        {
            var result = 0;
            var shift = 0;
            while (true)
            {
                var b = data[Position++];
                result |= (b & 0x7f) << shift;
                if (b < 0x80)
                {
                    return result;
                }

                shift += 7;
            }
        }
    }

    /// <summary>Open-addressing hash table from an id pair to (rank, merged id).</summary>
    private sealed class MergeTable
    {
        private readonly ulong[] _keys;
        private readonly ulong[] _values;
        private readonly int _mask;

        public MergeTable(int count)
        {
            var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, count * 2));
            _keys = new ulong[capacity];
            _values = new ulong[capacity];
            _mask = capacity - 1;
        }

        private static ulong Key(int left, int right) => (((ulong)(uint)left << 32) | (uint)right) + 1;

        private int Slot(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> 40) & _mask;

        public void Add(int left, int right, int rank, int merged)
        {
            var key = Key(left, right);
            var i = Slot(key);
            while (_keys[i] != 0 && _keys[i] != key)
            {
                i = (i + 1) & _mask;
            }

            if (_keys[i] == key)
            {
                return; // first (lowest-rank) merge wins, as in the reference
            }

            _keys[i] = key;
            _values[i] = ((ulong)(uint)rank << 32) | (uint)merged;
        }

        public bool TryGet(int left, int right, out int rank, out int merged)
        {
            var key = Key(left, right);
            var i = Slot(key);
            while (true)
            {
                var k = _keys[i];
                if (k == key)
                {
                    var v = _values[i];
                    rank = (int)(v >> 32);
                    merged = (int)(uint)v;
                    return true;
                }

                if (k == 0)
                {
                    rank = 0;
                    merged = 0;
                    return false;
                }

                i = (i + 1) & _mask;
            }
        }
    }
}
