using System.Security.Cryptography;
using System.Text;

namespace Switchyard.Translation;

/// <summary>Which <c>user_id</c> Switchyard sends upstream (DeepSeek isolates its KV cache and scheduling per user id).</summary>
public enum UserIdMode
{
    /// <summary>
    /// One opaque id per client key: a tenant shares the upstream's prefix cache across its conversations (the system
    /// prompt and tools Claude Code sends every time), and tenants stay apart. The default.
    /// </summary>
    PerKey,

    /// <summary>One opaque id per client key and client user id (the client's <c>user</c>/<c>metadata.user_id</c>).</summary>
    PerKeyAndClient,

    /// <summary>The client's own user id, sanitised to DeepSeek's alphabet (none when it sends none).</summary>
    PassThrough,
}

/// <summary>
/// Derives the upstream <c>user_id</c> from the client key (the tenant) and the client's own user id. Ids are HMACs
/// under the gateway's secret: stable across replicas that share it, and saying nothing about the key or the user.
/// </summary>
public sealed class UserIdPolicy
{
    private const string OpenTenant = "(open)";
    private readonly UserIdMode _mode;
    private readonly byte[] _key;

    /// <summary>Creates the policy; <paramref name="secret"/> is the gateway's signing secret (a key is derived from it).</summary>
    public UserIdPolicy(UserIdMode mode, byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        _mode = mode;
        _key = HMACSHA256.HashData(secret, "switchyard user_id v1"u8);
    }

    /// <summary>The mode.</summary>
    public UserIdMode Mode => _mode;

    /// <summary>
    /// The <c>user_id</c> to send for a request of <paramref name="tenant"/> (the client key's id; null in open mode)
    /// whose client named <paramref name="clientUserId"/>; null to send none.
    /// </summary>
    public string? For(string? tenant, string? clientUserId) => _mode switch
    {
        UserIdMode.PassThrough => RequestTranslator.SanitizeUserId(clientUserId),
        UserIdMode.PerKeyAndClient when !string.IsNullOrEmpty(clientUserId) => Opaque((tenant ?? OpenTenant) + "\n" + clientUserId),
        _ => Opaque(tenant ?? OpenTenant),
    };

    private string Opaque(string value) =>
        "sy_" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(value)).AsSpan(0, 16));
}
