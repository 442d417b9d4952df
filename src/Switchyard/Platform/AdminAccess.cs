using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Switchyard.Errors;

namespace Switchyard.Platform;

/// <summary>What <see cref="AdminAccess.Check(System.Net.IPAddress?, IEnumerable{string?})"/> decided.</summary>
public enum AdminOutcome
{
    /// <summary>No admin key is configured: the admin API and the dashboard are off.</summary>
    Disabled,
    /// <summary>A presented key is the admin key.</summary>
    Granted,
    /// <summary>No key was presented.</summary>
    Missing,
    /// <summary>Keys were presented, none of them the admin key.</summary>
    Denied,
    /// <summary>Too many wrong keys came from this address lately: refused without looking at the key.</summary>
    Throttled,
}

/// <summary>The outcome of an admin key check; <see cref="RetryAfter"/> is set when throttled.</summary>
public readonly record struct AdminVerdict(AdminOutcome Outcome, TimeSpan RetryAfter = default)
{
    /// <summary>Whether the caller may go on.</summary>
    public bool IsGranted => Outcome == AdminOutcome.Granted;

    /// <summary>Seconds to wait, as a <c>retry-after</c> value.</summary>
    public string RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>The error for the admin API (404, 401 or 429); throws when access was granted.</summary>
    /// <exception cref="InvalidOperationException">Access was granted.</exception>
    public GatewayException ToException() => Outcome switch
    {
        AdminOutcome.Disabled => new GatewayException(GatewayErrorKind.NotFound, "The admin API is disabled: set Switchyard:Admin:Key to enable it."),
        AdminOutcome.Throttled => new GatewayException(GatewayErrorKind.RateLimit,
            $"Too many wrong admin keys from this address; try again in {RetryAfterSeconds} s.") { RetryAfter = RetryAfter },
        AdminOutcome.Missing or AdminOutcome.Denied => new GatewayException(GatewayErrorKind.Authentication, "Invalid admin key.") { ShouldRetry = false },
        _ => throw new InvalidOperationException("Access was granted."),
    };
}

/// <summary>
/// Checks the admin key (<c>Switchyard:Admin:Key</c>) for the admin API and the dashboard, in constant time, and
/// throttles guessing: after <see cref="MaxFailures"/> wrong keys from one client address within
/// <see cref="Window"/>, every attempt from that address is refused until the window ends, the right key included
/// (otherwise the refusal would tell a guesser nothing).
/// </summary>
public sealed class AdminAccess
{
    /// <summary>Wrong keys allowed per address and window.</summary>
    public const int MaxFailures = 10;

    /// <summary>The shortest admin key Switchyard starts with.</summary>
    public const int MinimumKeyLength = 24;

    /// <summary>The throttling window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private const int PruneAbove = 10_000;
    private readonly byte[]? _keyHash;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<IPAddress, Failures> _failures = new();

    /// <summary>Creates the check for <paramref name="options"/>.</summary>
    public AdminAccess(PlatformOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keyHash = string.IsNullOrEmpty(options.Admin.Key) ? null : Hash(options.Admin.Key);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Whether an admin key is configured.</summary>
    public bool Enabled => _keyHash is not null;

    /// <summary>Checks <paramref name="presented"/> keys sent by <paramref name="client"/>; a wrong key counts against the address.</summary>
    public AdminVerdict Check(IPAddress? client, IEnumerable<string?> presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        if (_keyHash is null)
        {
            return new AdminVerdict(AdminOutcome.Disabled);
        }

        var address = client ?? IPAddress.None;
        var now = _time.GetUtcNow();
        if (_failures.TryGetValue(address, out var failures) && failures.BlockedFor(now) is { } wait)
        {
            return new AdminVerdict(AdminOutcome.Throttled, wait);
        }

        var any = false;
        var match = false;
        foreach (var key in presented)
        {
            if (!string.IsNullOrEmpty(key))
            {
                any = true;
                match |= CryptographicOperations.FixedTimeEquals(Hash(key), _keyHash);
            }
        }

        if (match)
        {
            _failures.TryRemove(address, out _);
            return new AdminVerdict(AdminOutcome.Granted);
        }

        if (!any)
        {
            return new AdminVerdict(AdminOutcome.Missing);
        }

        if (_failures.Count > PruneAbove)
        {
            foreach (var (stale, entry) in _failures)
            {
                if (entry.Expired(now))
                {
                    _failures.TryRemove(stale, out _);
                }
            }
        }

        _failures.GetOrAdd(address, _ => new Failures()).Add(now);
        return new AdminVerdict(AdminOutcome.Denied);
    }

    /// <summary>Checks the keys of an HTTP request (<c>x-api-key</c>, <c>Authorization: Bearer</c>).</summary>
    public AdminVerdict Check(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Check(context.Connection.RemoteIpAddress, PlatformHttp.PresentedKeys(context.Request));
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Wrong keys from one address in the current window.</summary>
    private sealed class Failures
    {
        private readonly Lock _lock = new();
        private DateTimeOffset _windowStart;
        private int _count;

        public void Add(DateTimeOffset now)
        {
            lock (_lock)
            {
                if (now - _windowStart >= Window)
                {
                    _windowStart = now;
                    _count = 0;
                }

                _count++;
            }
        }

        public TimeSpan? BlockedFor(DateTimeOffset now)
        {
            lock (_lock)
            {
                var left = _windowStart + Window - now;
                return _count >= MaxFailures && left > TimeSpan.Zero ? left : null;
            }
        }

        public bool Expired(DateTimeOffset now)
        {
            lock (_lock)
            {
                return now - _windowStart >= Window;
            }
        }
    }
}
