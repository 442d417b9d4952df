namespace Switchyard.Translation;

/// <summary>Knobs of the Anthropic → Chat Completions translation (configuration section <c>Switchyard:Translation</c>).</summary>
public sealed class TranslationOptions
{
    /// <summary>
    /// <c>output_config.effort</c> → <c>reasoning_effort</c>. The defaults use only values that every DeepSeek
    /// era accepts (<c>high</c>, <c>max</c>).
    /// </summary>
    public IDictionary<string, string> EffortMap { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["low"] = "high",
        ["medium"] = "high",
        ["high"] = "high",
        ["xhigh"] = "max",
        ["max"] = "max",
    };

    /// <summary>System text blocks starting with one of these prefixes are not forwarded.</summary>
    public IList<string> DroppedSystemPrefixes { get; } = ["x-anthropic-billing-header:"];

    /// <summary>
    /// The <c>user_id</c> sent upstream: one opaque id per client key (default), per key and client user id, or the
    /// client's own (see <see cref="UserIdMode"/>).
    /// </summary>
    public UserIdMode UserId { get; set; } = UserIdMode.PerKey;
}
