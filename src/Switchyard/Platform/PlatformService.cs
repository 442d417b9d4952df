using System.Globalization;
using Switchyard.Accounting;
using Switchyard.Hosting;
using Switchyard.Keys;
using Switchyard.Limits;

namespace Switchyard.Platform;

/// <summary>
/// What the request pipeline calls: <see cref="AuthenticateAnyAsync"/> at the start, <see cref="AdmitAsync"/> once the
/// served model is known (dispose the admission at the end), and <see cref="RecordAsync"/> before the response's
/// last bytes are flushed.
/// </summary>
public sealed class PlatformService
{
    private readonly PlatformRuntime _runtime;
    private readonly ClientKeyValidator? _configuredKeys;
    private readonly bool _allowOpenOnNetwork;

    /// <summary>Creates the service; <paramref name="configuredKeys"/> are the static <c>Switchyard:Auth:Keys</c>, also accepted.</summary>
    public PlatformService(PlatformRuntime runtime, ClientKeyValidator? configuredKeys = null, bool allowOpenAccessOnNetwork = false)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        _runtime = runtime;
        _configuredKeys = configuredKeys;
        _allowOpenOnNetwork = allowOpenAccessOnNetwork;
    }

    /// <summary>The platform's parts.</summary>
    public PlatformRuntime Runtime => _runtime;

    /// <summary>Whether open mode is in force: no key in the database and none configured.</summary>
    public async ValueTask<bool> IsOpenModeAsync(CancellationToken cancellationToken = default) =>
        (_configuredKeys?.OpenMode ?? true) && !await _runtime.Keys.AnyKeysAsync(cancellationToken);

    /// <summary>
    /// Checks the presented key (from <c>x-api-key</c> or <c>Authorization: Bearer</c>) against the database on
    /// every call, so revocations anywhere apply at once. With no key stored or configured: open mode when
    /// <paramref name="loopbackOnly"/> (the request came over loopback) or open access on the network is allowed.
    /// </summary>
    public ValueTask<AuthResult> AuthenticateAsync(string? presentedKey, bool loopbackOnly, CancellationToken cancellationToken = default) =>
        AuthenticateAnyAsync(string.IsNullOrEmpty(presentedKey) ? [] : [presentedKey], loopbackOnly, cancellationToken);

    /// <summary>
    /// Like <see cref="AuthenticateAsync(string?, bool, CancellationToken)"/> for every key the request presents
    /// (<c>x-api-key</c> and <c>Authorization: Bearer</c> may disagree, e.g. a stale <c>ANTHROPIC_API_KEY</c> next to a
    /// valid token): the request is accepted when any of them is a valid key, as the first valid one.
    /// </summary>
    public async ValueTask<AuthResult> AuthenticateAnyAsync(IReadOnlyList<string> presentedKeys, bool loopbackOnly, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(presentedKeys);
        KeyInfo? revoked = null;
        foreach (var presentedKey in presentedKeys)
        {
            if (!string.IsNullOrEmpty(presentedKey) && KeySecrets.TryGetId(presentedKey) is not null)
            {
                var (check, key) = await _runtime.Keys.VerifyAsync(presentedKey, cancellationToken);
                switch (check)
                {
                    case KeyCheck.Valid:
                        return AuthResult.Authenticated(key!);
                    case KeyCheck.Revoked:
                        revoked = key;
                        break;
                }
            }

            if (_configuredKeys is { OpenMode: false } configured && configured.IsValid(presentedKey))
            {
                return AuthResult.Authenticated(new KeyInfo { Id = "config", Name = "configured key" });
            }
        }

        if (revoked is not null)
        {
            return AuthResult.Rejected("Authentication Fails: this API key has been revoked.", revoked);
        }

        if (await IsOpenModeAsync(cancellationToken))
        {
            return loopbackOnly || _allowOpenOnNetwork
                ? AuthResult.Open
                : AuthResult.Rejected("No API keys exist yet, so Switchyard serves only loopback clients (open mode). Create a key with `switchyard keys create`.");
        }

        return AuthResult.Rejected(presentedKeys.Count == 0
            ? "Authentication Fails: no API key was sent (use x-api-key or Authorization: Bearer)."
            : "Authentication Fails: the API key is invalid.");
    }

    /// <summary>
    /// Admits the request or rejects it (403 model not allowed, 402 budget spent, 429 rate or concurrency limit).
    /// Dispose the result when the request ends, whatever the outcome; use <see cref="Admission.ThrowIfRejected"/>.
    /// </summary>
    public ValueTask<Admission> AdmitAsync(KeyInfo? key, string servedModel, CancellationToken cancellationToken = default) =>
        _runtime.Admission.AdmitAsync(key, servedModel, cancellationToken);

    /// <summary>
    /// Costs the record from the price table (sets <see cref="RequestRecord.CostUsd"/>) and writes it durably: one
    /// append to the local outbox file; the database insert is batched in the background.
    /// </summary>
    public ValueTask RecordAsync(RequestRecord record, CancellationToken cancellationToken = default) =>
        _runtime.Ledger.RecordAsync(record, cancellationToken);

    /// <summary>The caller's balance in DeepSeek's <c>/user/balance</c> shape.</summary>
    public async ValueTask<BalanceResponse> GetBalanceAsync(KeyInfo? key, CancellationToken cancellationToken = default)
    {
        if (key is null || key.Id == "config")
        {
            return new BalanceResponse(true, []);
        }

        var fresh = await _runtime.Keys.GetAsync(key.Id, cancellationToken) ?? key;
        if (fresh.RemainingUsd is not { } remaining)
        {
            return new BalanceResponse(fresh.IsActive, []);
        }

        var amount = Math.Round(remaining, 2, MidpointRounding.ToZero).ToString("0.00", CultureInfo.InvariantCulture);
        return new BalanceResponse(fresh.IsActive && remaining > 0, [new BalanceInfo("USD", amount, "0.00", amount)]);
    }
}
