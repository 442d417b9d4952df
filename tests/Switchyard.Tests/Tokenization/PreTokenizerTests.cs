using System.Diagnostics;
using Switchyard.Tokenization;

namespace Switchyard.Tests.Tokenization;

/// <summary>The hand-written pre-tokenizer against the tokenizer.json regexes run by .NET Regex (BMP-only text).</summary>
public sealed class PreTokenizerTests
{
    private static List<string> Pieces(string text)
    {
        var list = new List<string>();
        var e = new PreTokenizer.Enumerator(text);
        while (e.MoveNext())
        {
            list.Add(e.Current.ToString());
        }

        return list;
    }

    private static bool IsBmpOnly(string s) => !s.Any(char.IsSurrogate);

    private static void AssertSameAsRegex(string text)
    {
        var expected = PreTokenizerRegex.Split(text);
        var actual = Pieces(text);
        Assert.True(expected.SequenceEqual(actual),
            $"pieces differ for \"{text}\":\n  regex: [{string.Join("|", expected)}]\n  ours:  [{string.Join("|", actual)}]");
    }

    [Fact]
    public void Matches_regex_on_bmp_corpus_and_fixtures()
    {
        var texts = GoldenTokenizerTests.CorpusTexts.Value.Values.ToList();
        foreach (var file in new[] { "first-request.json", "tool-result-turn.json" })
        {
            texts.AddRange(FixtureText.Extract(Path.Combine(TokenizerTestPaths.FixturesDir, file)).Select(x => x.Text));
        }

        var checkedCount = 0;
        foreach (var text in texts.Where(IsBmpOnly))
        {
            AssertSameAsRegex(text);
            checkedCount++;
        }

        Assert.True(checkedCount > 100);
    }

    [Fact]
    public void Matches_regex_on_random_bmp_text()
    {
        const string palette = "aZé日本カナー・ゝ中文12３٣½ \t\r\n\u00a0\u3000\u2028.,!?'\"-_#@$%^&*()[]{}<>/\\|~`+=:;\u0301\u0308\u200d\u00ad\u0007ßΩж한";
        var rng = new Random(12345);
        for (var iteration = 0; iteration < 3000; iteration++)
        {
            var chars = new char[rng.Next(1, 40)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = palette[rng.Next(palette.Length)];
            }

            AssertSameAsRegex(new string(chars));
        }
    }

    [Theory]
    [InlineData("1234567", new[] { "123", "456", "7" })]
    [InlineData("abc 123", new[] { "abc", " ", "123" })]
    [InlineData("hello world", new[] { "hello", " world" })]
    [InlineData("a  b", new[] { "a", " ", " b" })]
    [InlineData("x\n\n  y", new[] { "x", "\n\n", " ", " y" })]
    [InlineData(".NET is", new[] { ".NET", " is" })]
    [InlineData("foo();\n", new[] { "foo", "();\n" })]
    [InlineData("英文English日本語", new[] { "英文", "English", "日本語" })]
    [InlineData("😀abc", new[] { "😀", "abc" })]
    [InlineData("👨\u200d👩", new[] { "👨", "\u200d", "👩" })]
    [InlineData("𝐇𝐞𝐥𝐥𝐨 𝟙𝟚𝟛𝟜", new[] { "𝐇𝐞𝐥𝐥𝐨", " ", "𝟙𝟚𝟛", "𝟜" })]
    public void Known_splits(string text, string[] expected) => Assert.Equal(expected, Pieces(text));

    [Fact]
    public void Astral_text_differs_from_naive_dotnet_regex()
    {
        // Documents why Regex is not used for encoding: on UTF-16 it splits emoji + letters differently.
        Assert.NotEqual(PreTokenizerRegex.Split("😀abc"), Pieces("😀abc"));
    }

    [Fact]
    public void Concurrent_encoding_is_consistent()
    {
        var tok = DeepSeekTokenizer.Create();
        var texts = GoldenTokenizerTests.CorpusTexts.Value.Values.ToArray();
        var expected = texts.Select(t => DeepSeekTokenizer.Shared.Encode(t)).ToArray();
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var k = i % texts.Length;
            if (i % 97 == 0)
            {
                tok.ClearCache();
            }

            Assert.Equal(expected[k], tok.Encode(texts[k]));
            Assert.Equal(expected[k].Length, tok.CountTokens(texts[k]));
        });
    }

    [Fact]
    public void Vocabulary_loads_quickly()
    {
        _ = BpeVocabulary.LoadEmbedded(); // warm the code paths
        var sw = Stopwatch.StartNew();
        var vocab = BpeVocabulary.LoadEmbedded();
        sw.Stop();
        Assert.Equal(128000, vocab.VocabularySize);
        Assert.True(vocab.AddedTokensWellFormed);
        Assert.True(sw.ElapsedMilliseconds < 1000, $"load took {sw.ElapsedMilliseconds} ms");
    }
}
