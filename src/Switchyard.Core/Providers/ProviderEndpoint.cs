using Switchyard.Resilience;

namespace Switchyard.Providers;

/// <summary>
/// One replica (URL and key) of a provider, with its client, its circuit breaker and its count of outstanding
/// requests (the load balancer's measure).
/// </summary>
public sealed class ProviderEndpoint
{
    private int _outstanding;

    internal ProviderEndpoint(ProviderOptions provider, ProviderOptions options, int index, HttpClient http, CircuitBreaker breaker)
    {
        Provider = provider;
        Options = options;
        Index = index;
        Breaker = breaker;
        Client = new UpstreamClient(http, options);
    }

    /// <summary>The provider as configured.</summary>
    public ProviderOptions Provider { get; }

    /// <summary>The endpoint's own settings (its URL and key).</summary>
    public ProviderOptions Options { get; }

    /// <summary>The position among the provider's endpoints.</summary>
    public int Index { get; }

    /// <summary><c>provider#index</c>, for logs and <c>/readyz</c>.</summary>
    public string Id => $"{Provider.Name}#{Index}";

    /// <summary>The endpoint's HTTP client (either upstream format).</summary>
    public UpstreamClient Client { get; }

    /// <summary>The endpoint's circuit breaker.</summary>
    public CircuitBreaker Breaker { get; }

    /// <summary>Requests in flight to this endpoint.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>Counts a request as outstanding until the returned lease is disposed.</summary>
    public IDisposable Lease()
    {
        Interlocked.Increment(ref _outstanding);
        return new EndpointLease(this);
    }

    private sealed class EndpointLease(ProviderEndpoint endpoint) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref endpoint._outstanding);
            }
        }
    }
}
