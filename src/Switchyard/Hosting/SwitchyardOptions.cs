using Switchyard.Memory;
using Switchyard.Models;
using Switchyard.Providers;
using Switchyard.Resilience;
using Switchyard.Routing;
using Switchyard.Translation;

namespace Switchyard.Hosting;

/// <summary>All settings, bound from the <c>Switchyard</c> configuration section.</summary>
public sealed class SwitchyardOptions
{
    /// <summary>The OpenAI-format upstream (DeepSeek by default).</summary>
    public ProviderOptions Upstream { get; set; } = new();

    /// <summary>Further providers (OpenAI or Anthropic kind); models name them in <c>Models:Catalog</c>.</summary>
    public IList<ProviderOptions> Providers { get; } = [];

    /// <summary>Routes, first match wins (reloaded without a restart); empty means the catalog's model on its provider.</summary>
    public IList<RouteRule> Routes { get; } = [];

    /// <summary>Retries, fallbacks, circuit breakers, stream continuation, connect timeout.</summary>
    public ResilienceOptions Resilience { get; set; } = new();

    /// <summary>On shutdown (SIGTERM), how long in-flight requests and streams may take to finish.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The reasoning memory for OpenAI-format clients that drop <c>reasoning_content</c>.</summary>
    public ReasoningMemoryOptions ReasoningMemory { get; set; } = new();

    /// <summary>The Responses API front: how long stored responses are kept.</summary>
    public OpenAI.Responses.ResponsesOptions Responses { get; set; } = new();

    /// <summary>Model catalog and aliases.</summary>
    public ModelCatalogOptions Models { get; set; } = new();

    /// <summary>Translation knobs.</summary>
    public TranslationOptions Translation { get; set; } = new();

    /// <summary>Client authentication.</summary>
    public ClientAuthOptions Auth { get; set; } = new();

    /// <summary>Largest accepted request body (Anthropic's limit: 32 MB).</summary>
    public long MaxRequestBodyBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>A <c>ping</c> event is sent when a stream has been silent this long.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Where state lives (<c>SWITCHYARD_DATA_DIR</c>, default <c>~/.switchyard</c>).</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Base64 key (≥16 bytes) for thinking signatures; shared by replicas. Default: generated in the data directory.</summary>
    public string? ThinkingSigningKey { get; set; }

    /// <summary>Opt-in: keep request bodies for a bounded time, for the dashboard's request detail.</summary>
    public RequestBodyOptions RequestBodies { get; set; } = new();
}

/// <summary>
/// Message content is not kept by default. With <see cref="Retain"/>, each request's body (up to
/// <see cref="MaxBytes"/>) is stored with its ledger record and deleted after <see cref="RetainFor"/>.
/// </summary>
public sealed class RequestBodyOptions
{
    /// <summary>Keep request bodies (default false).</summary>
    public bool Retain { get; set; }

    /// <summary>How long a body is kept (default 24 hours).</summary>
    public TimeSpan RetainFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Larger bodies are cut to this many bytes (default 1 MB).</summary>
    public int MaxBytes { get; set; } = 1024 * 1024;
}

/// <summary>Who may call the API.</summary>
public sealed class ClientAuthOptions
{
    /// <summary>Accepted client keys: the key itself or <c>sha256:&lt;hex&gt;</c> of it. Empty: open mode.</summary>
    public IList<string> Keys { get; } = [];

    /// <summary>Allow open mode (any key) on a non-loopback address. Off by default.</summary>
    public bool AllowOpenAccessOnNetwork { get; set; }
}
