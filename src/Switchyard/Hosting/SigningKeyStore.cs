using System.Security.Cryptography;
using Switchyard.Storage;

namespace Switchyard.Hosting;

/// <summary>Provides the thinking-signature key: configured, or generated once under the data directory.</summary>
internal static class SigningKeyStore
{
    public static byte[] Load(SwitchyardOptions options)
    {
        if (options.ThinkingSigningKey is { } configured)
        {
            return Convert.FromBase64String(configured);
        }

        var path = Path.Combine(options.DataDirectory!, "thinking-signing.key");
        try
        {
            if (File.Exists(path))
            {
                var existing = Convert.FromBase64String(File.ReadAllText(path).Trim());
                if (existing.Length >= 16)
                {
                    PrivateFiles.Restrict(path);
                    return existing;
                }
            }

            PrivateFiles.CreateDirectory(options.DataDirectory!);
            var key = RandomNumberGenerator.GetBytes(32);
            // Created 0600 (before, it was written with the default mode and restricted afterwards, readable meanwhile).
            using (var file = new StreamWriter(PrivateFiles.Open(path, FileMode.Create, FileAccess.Write)))
            {
                file.Write(Convert.ToBase64String(key));
            }

            PrivateFiles.Restrict(path);
            return key;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new InvalidOperationException(
                $"SWITCHYARD_DATA_DIR: cannot read or create the signing key at '{path}': {exception.Message}", exception);
        }
    }
}
