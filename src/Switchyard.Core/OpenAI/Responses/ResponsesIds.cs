using System.Security.Cryptography;

namespace Switchyard.OpenAI.Responses;

/// <summary>Ids in the Responses API's style: a type prefix and 48 hex digits.</summary>
public static class ResponsesIds
{
    /// <summary>A new <c>resp_…</c> id.</summary>
    public static string NewResponseId() => New("resp_");

    /// <summary>A new item id with <paramref name="prefix"/> (<c>msg_</c>, <c>rs_</c>, <c>fc_</c>, <c>ctc_</c>).</summary>
    public static string New(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return prefix + RandomNumberGenerator.GetHexString(48, lowercase: true);
    }
}
