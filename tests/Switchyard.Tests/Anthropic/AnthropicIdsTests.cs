using Switchyard.Anthropic;

namespace Switchyard.Tests.Anthropic;

/// <summary>Ids in the Messages API's style: prefix, 24 base62 characters, unique, every character equally likely.</summary>
public sealed class AnthropicIdsTests
{
    [Fact]
    public void Ids_have_the_prefix_and_24_base62_characters_spread_evenly()
    {
        const int Count = 20_000;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var counts = new Dictionary<char, int>();
        for (var i = 0; i < Count; i++)
        {
            var id = AnthropicIds.NewMessageId();
            Assert.StartsWith("msg_", id, StringComparison.Ordinal);
            Assert.Equal(28, id.Length);
            Assert.True(seen.Add(id));
            foreach (var c in id.AsSpan(4))
            {
                Assert.True(char.IsAsciiLetterOrDigit(c), id);
                counts[c] = counts.GetValueOrDefault(c) + 1;
            }
        }

        Assert.Matches("^req_[0-9A-Za-z]{24}$", AnthropicIds.NewRequestId());
        Assert.Matches("^toolu_[0-9A-Za-z]{24}$", AnthropicIds.NewToolUseId());
        // 480,000 characters over 62 symbols: about 7,742 each (σ ≈ 88). A plain byte % 62 would favour the first
        // eight symbols, putting them near 9,375.
        Assert.Equal(62, counts.Count);
        var expected = Count * 24 / 62.0;
        Assert.All(counts.Values, n => Assert.InRange(n, expected * 0.93, expected * 1.07));
    }
}
