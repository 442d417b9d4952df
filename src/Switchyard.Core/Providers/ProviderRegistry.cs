using Switchyard.Resilience;

namespace Switchyard.Providers;

/// <summary>
/// The configured upstreams by name, each with its endpoints (replicas or keys), their clients and circuit breakers,
/// and the load balancer that picks an endpoint per attempt.
/// </summary>
public sealed class ProviderRegistry
{
    private readonly Dictionary<string, ProviderOptions> _options = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ProviderEndpoint[]> _endpoints = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates clients for the default provider and the others, sharing <paramref name="http"/>.</summary>
    public ProviderRegistry(HttpClient http, ProviderOptions defaultProvider, IEnumerable<ProviderOptions> others)
        : this(_ => http, defaultProvider, others, null)
    {
        ArgumentNullException.ThrowIfNull(http);
    }

    /// <summary>
    /// Creates clients for the default provider and the others; <paramref name="httpFor"/> gives the (shared) HTTP
    /// client of a provider, so providers can have their own connect timeout.
    /// </summary>
    public ProviderRegistry(
        Func<ProviderOptions, HttpClient> httpFor, ProviderOptions defaultProvider, IEnumerable<ProviderOptions> others,
        CircuitBreakerOptions? circuitBreaker, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(httpFor);
        ArgumentNullException.ThrowIfNull(defaultProvider);
        ArgumentNullException.ThrowIfNull(others);
        circuitBreaker ??= new CircuitBreakerOptions();
        Default = defaultProvider;
        foreach (var provider in others.Prepend(defaultProvider))
        {
            if (!_options.TryAdd(provider.Name, provider))
            {
                throw new ArgumentException($"Switchyard:Providers: the name '{provider.Name}' is used twice.", nameof(others));
            }

            var http = httpFor(provider);
            _endpoints[provider.Name] = [.. ExpandEndpoints(provider)
                .Select((e, i) => new ProviderEndpoint(provider, e, i, http, new CircuitBreaker(circuitBreaker, time)))];
        }
    }

    /// <summary>The default provider (DeepSeek unless configured otherwise).</summary>
    public ProviderOptions Default { get; }

    /// <summary>All providers, the default first.</summary>
    public IEnumerable<ProviderOptions> All => _options.Values;

    /// <summary>Whether a provider of this name exists.</summary>
    public bool Contains(string name) => _options.ContainsKey(name);

    /// <summary>The provider named <paramref name="name"/>, or the default one for null.</summary>
    public ProviderOptions Get(string? name) =>
        name is null ? Default
        : _options.TryGetValue(name, out var provider) ? provider
        : throw new InvalidOperationException($"Unknown provider '{name}'.");

    /// <summary>The endpoints of a provider (at least one).</summary>
    public IReadOnlyList<ProviderEndpoint> Endpoints(string? name) => _endpoints[Get(name).Name];

    /// <summary>Whether some endpoint of the provider would take a request now (its circuit closed, or half-open and free).</summary>
    public bool IsAvailable(string? name) => Endpoints(name).Any(e => e.Breaker.IsAvailable);

    /// <summary>
    /// Picks the endpoint for the next attempt: the fewest outstanding requests among those whose circuit lets a
    /// request through (ties broken at random). When every circuit is open the provider is not skipped but tried
    /// anyway (Envoy's panic mode): the least loaded endpoint, so the client gets the upstream's real answer and a
    /// recovered upstream is noticed at once.
    /// </summary>
    public ProviderEndpoint Select(string? name) =>
        SelectAvailable(name) ?? Endpoints(name).OrderBy(e => e.Outstanding).ThenBy(_ => Random.Shared.Next()).First();

    private ProviderEndpoint? SelectAvailable(string? name)
    {
        var endpoints = Endpoints(name);
        if (endpoints.Count == 1)
        {
            return endpoints[0].Breaker.TryAcquire() ? endpoints[0] : null;
        }

        // Try the least loaded first; a half-open endpoint whose probe slot is taken is skipped.
        var order = endpoints.Where(e => e.Breaker.IsAvailable)
            .OrderBy(e => e.Outstanding)
            .ThenBy(_ => Random.Shared.Next())
            .ToList();
        foreach (var endpoint in order)
        {
            if (endpoint.Breaker.TryAcquire())
            {
                return endpoint;
            }
        }

        return null;
    }

    /// <summary>The client of a provider's least loaded available endpoint (or its first), for calls outside the executor.</summary>
    public UpstreamClient Client(string? name)
    {
        var endpoints = Endpoints(name);
        return (endpoints.Where(e => e.Breaker.IsAvailable).OrderBy(e => e.Outstanding).FirstOrDefault() ?? endpoints[0]).Client;
    }

    private static IEnumerable<ProviderOptions> ExpandEndpoints(ProviderOptions provider)
    {
        var keys = provider.ApiKeys.Where(k => !string.IsNullOrEmpty(k)).ToList();
        if (provider.Endpoints.Count > 0)
        {
            var next = 0;
            foreach (var endpoint in provider.Endpoints)
            {
                var key = endpoint.ApiKey ?? (keys.Count > 0 ? keys[next++ % keys.Count] : provider.ApiKey);
                yield return provider.ForEndpoint(endpoint.BaseUrl ?? provider.BaseUrl, key);
            }
        }
        else if (keys.Count > 0)
        {
            foreach (var key in keys)
            {
                yield return provider.ForEndpoint(provider.BaseUrl, key);
            }
        }
        else
        {
            yield return provider.ForEndpoint(provider.BaseUrl, provider.ApiKey);
        }
    }
}
