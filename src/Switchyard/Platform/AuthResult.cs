using Switchyard.Errors;
using Switchyard.Keys;

namespace Switchyard.Platform;

/// <summary>The outcome of <see cref="PlatformService.AuthenticateAnyAsync"/>.</summary>
public enum AuthOutcome
{
    /// <summary>No keys exist: open mode (loopback only unless allowed); the request has no key.</summary>
    Open,
    /// <summary>A valid key.</summary>
    Authenticated,
    /// <summary>Missing, unknown or revoked key: answer 401.</summary>
    Rejected,
}

/// <summary>Who is calling: open mode, a key, or a rejection with its 401 message.</summary>
public sealed class AuthResult
{
    private AuthResult(AuthOutcome outcome, KeyInfo? key, string? message)
    {
        Outcome = outcome;
        Key = key;
        Message = message;
    }

    /// <summary>The outcome.</summary>
    public AuthOutcome Outcome { get; }

    /// <summary>The caller's key when <see cref="AuthOutcome.Authenticated"/>, or the revoked key it presented.</summary>
    public KeyInfo? Key { get; }

    /// <summary>The 401 message when <see cref="AuthOutcome.Rejected"/>.</summary>
    public string? Message { get; }

    /// <summary>Whether the request may go on.</summary>
    public bool IsAllowed => Outcome != AuthOutcome.Rejected;

    /// <summary>Open mode.</summary>
    public static AuthResult Open { get; } = new(AuthOutcome.Open, null, null);

    /// <summary>An authenticated key.</summary>
    public static AuthResult Authenticated(KeyInfo key) => new(AuthOutcome.Authenticated, key ?? throw new ArgumentNullException(nameof(key)), null);

    /// <summary>A rejection; <paramref name="key"/> is the revoked key that was presented, if any (for the ledger, never to authorize).</summary>
    public static AuthResult Rejected(string message, KeyInfo? key = null) => new(AuthOutcome.Rejected, key, message);

    /// <summary>The 401 to throw (the middleware writes it in the caller's format).</summary>
    /// <exception cref="InvalidOperationException">The request was not rejected.</exception>
    public GatewayException ToException() => Outcome == AuthOutcome.Rejected
        ? new GatewayException(GatewayErrorKind.Authentication, Message ?? "Invalid API key.") { ShouldRetry = false }
        : throw new InvalidOperationException("The request was not rejected.");

    /// <summary>Throws <see cref="ToException"/> when rejected.</summary>
    public void ThrowIfRejected()
    {
        if (Outcome == AuthOutcome.Rejected)
        {
            throw ToException();
        }
    }
}
