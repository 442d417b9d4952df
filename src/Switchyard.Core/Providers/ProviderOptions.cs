namespace Switchyard.Providers;

/// <summary>The wire format an upstream speaks.</summary>
public enum ProviderKind
{
    /// <summary>Chat Completions (DeepSeek, vLLM, SGLang, Ollama, llama.cpp).</summary>
    OpenAI,
    /// <summary>Messages API (Anthropic, DeepSeek's <c>/anthropic</c>, others): Anthropic clients pass through byte for byte.</summary>
    Anthropic,
}

/// <summary>
/// An upstream provider. The default one is configured under <c>Switchyard:Upstream</c> (DeepSeek, with the
/// <c>DEEPSEEK_API_KEY</c>/<c>DEEPSEEK_BASE_URL</c> shortcuts); more under <c>Switchyard:Providers</c>.
/// A provider has one or more endpoints: <see cref="Endpoints"/> when given, otherwise <see cref="BaseUrl"/> once per
/// key of <see cref="ApiKeys"/> (or once with <see cref="ApiKey"/>). Requests are balanced across its endpoints.
/// </summary>
public sealed class ProviderOptions
{
    /// <summary>The wire format the upstream speaks.</summary>
    public ProviderKind Kind { get; set; } = ProviderKind.OpenAI;

    /// <summary>A short name used in logs and error messages.</summary>
    public string Name { get; set; } = "deepseek";

    /// <summary>
    /// The API base URL: <c>/chat/completions</c> (OpenAI kind) or <c>/v1/messages</c> (Anthropic kind) is appended.
    /// </summary>
    public Uri BaseUrl { get; set; } = new("https://api.deepseek.com");

    /// <summary>
    /// The upstream API key (<c>Authorization: Bearer</c> for OpenAI kind, <c>x-api-key</c> for Anthropic kind).
    /// Never logged, never sent to clients.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Several keys for <see cref="BaseUrl"/> (or for endpoints without their own key): one endpoint per key.</summary>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>Replicas of the provider (e.g. several vLLM servers), each with its own URL and optional key.</summary>
    public IList<ProviderEndpointOptions> Endpoints { get; } = [];

    /// <summary>Upstream model ids (globs) the provider serves; empty means any. Routes are checked against it.</summary>
    public IList<string> Models { get; } = [];

    /// <summary>What the provider's models can take.</summary>
    public ProviderCapabilities Capabilities { get; set; } = new();

    /// <summary>How long to wait for a TCP (and TLS) connection; null means <c>Switchyard:Resilience:ConnectTimeout</c>.</summary>
    public TimeSpan? ConnectTimeout { get; set; }

    /// <summary>How long to wait for the upstream's response headers (DeepSeek queues requests up to 10 minutes).</summary>
    public TimeSpan FirstByteTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest silence between two stream chunks (keep-alives count) or while reading a JSON body.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether the upstream offers chat prefix completion under <c>/beta</c> (DeepSeek does).</summary>
    public bool SupportsPrefixCompletion { get; set; } = true;

    /// <summary>
    /// The HTTP version for the upstream. HTTP/2 carries every concurrent request of a provider on a few connections
    /// instead of one socket each, which is what lets thousands of concurrent streams fit in the process's file
    /// descriptors.
    /// </summary>
    public UpstreamHttpVersion HttpVersion { get; set; } = UpstreamHttpVersion.Auto;

    /// <summary>Whether the provider serves <paramref name="upstreamModel"/> by <see cref="Models"/>.</summary>
    public bool ServesModel(string upstreamModel)
    {
        ArgumentNullException.ThrowIfNull(upstreamModel);
        return Models.Count == 0 || Models.Any(pattern => global::Switchyard.Models.Glob.IsMatch(pattern, upstreamModel));
    }

    /// <summary>A copy for one endpoint: same settings, this URL and key, no endpoint lists.</summary>
    internal ProviderOptions ForEndpoint(Uri baseUrl, string? apiKey)
    {
        var copy = new ProviderOptions
        {
            Kind = Kind,
            Name = Name,
            BaseUrl = baseUrl,
            ApiKey = apiKey,
            Capabilities = Capabilities,
            ConnectTimeout = ConnectTimeout,
            FirstByteTimeout = FirstByteTimeout,
            IdleTimeout = IdleTimeout,
            SupportsPrefixCompletion = SupportsPrefixCompletion,
            HttpVersion = HttpVersion,
        };
        foreach (var model in Models)
        {
            copy.Models.Add(model);
        }

        return copy;
    }
}

/// <summary>One replica of a provider.</summary>
public sealed class ProviderEndpointOptions
{
    /// <summary>The replica's API base URL.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Its key; null means the provider's <see cref="ProviderOptions.ApiKeys"/> (round robin) or <see cref="ProviderOptions.ApiKey"/>.</summary>
    public string? ApiKey { get; set; }
}

/// <summary>
/// What a provider's models can take. Routes skip targets that cannot serve what a request needs. Null means the
/// default for the provider's kind: Anthropic-format upstreams take everything the Messages API has; OpenAI-format
/// ones take thinking and tools, not images or documents (Switchyard translates only text for them).
/// </summary>
public sealed class ProviderCapabilities
{
    /// <summary>Reasoning (thinking) output.</summary>
    public bool? Thinking { get; set; }

    /// <summary>Tool (function) calls.</summary>
    public bool? Tools { get; set; }

    /// <summary>Image input.</summary>
    public bool? Images { get; set; }

    /// <summary>Document (PDF, text) input.</summary>
    public bool? Documents { get; set; }

    /// <summary>The context window in tokens (input plus output); null means no limit known.</summary>
    public int? ContextLength { get; set; }
}
