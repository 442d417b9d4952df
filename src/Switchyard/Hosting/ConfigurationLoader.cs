using System.Globalization;

namespace Switchyard.Hosting;

/// <summary>Reads and validates <see cref="SwitchyardOptions"/>; every error names the setting at fault.</summary>
public static class ConfigurationLoader
{
    /// <summary>A body is read into one array and indexed by int offsets: 1 GiB keeps well inside both.</summary>
    private const long MaxBodyLimit = 1L << 30;

    /// <summary>
    /// Binds the <c>Switchyard</c> section, applies the zero-config environment shortcuts and validates. A relative
    /// data directory is taken relative to the content root (<see cref="SwitchyardConfiguration"/>), so the server and
    /// every command find the same files wherever they are started from.
    /// </summary>
    /// <exception cref="InvalidOperationException">A setting is invalid or unknown; the message names it.</exception>
    public static SwitchyardOptions Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        UnknownSettings.Check(configuration);
        var options = new SwitchyardOptions();
        try
        {
            configuration.GetSection("Switchyard").Bind(options);
        }
        catch (InvalidOperationException exception)
        {
            throw new InvalidOperationException($"Invalid configuration in section 'Switchyard': {exception.Message}", exception);
        }

        // The documented shortcuts: DEEPSEEK_API_KEY, DEEPSEEK_BASE_URL, SWITCHYARD_DATA_DIR.
        if (string.IsNullOrEmpty(options.Upstream.ApiKey) && configuration["DEEPSEEK_API_KEY"] is { Length: > 0 } key)
        {
            options.Upstream.ApiKey = key;
        }

        if (configuration["DEEPSEEK_BASE_URL"] is { Length: > 0 } baseUrl && configuration["Switchyard:Upstream:BaseUrl"] is null)
        {
            if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new InvalidOperationException($"DEEPSEEK_BASE_URL: '{baseUrl}' is not an absolute http(s) URL.");
            }

            options.Upstream.BaseUrl = uri;
        }

        options.DataDirectory ??= configuration["SWITCHYARD_DATA_DIR"] is { Length: > 0 } dataDir
            ? dataDir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".switchyard");
        options.DataDirectory = Path.GetFullPath(options.DataDirectory, SwitchyardConfiguration.ContentRoot(configuration));
        Validate(options);
        return options;
    }

    private static void Validate(SwitchyardOptions options)
    {
        var upstream = options.Upstream;
        if (!upstream.BaseUrl.IsAbsoluteUri || (upstream.BaseUrl.Scheme != Uri.UriSchemeHttp && upstream.BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException($"Switchyard:Upstream:BaseUrl: '{upstream.BaseUrl}' is not an absolute http(s) URL.");
        }

        Positive(upstream.FirstByteTimeout, "Switchyard:Upstream:FirstByteTimeout");
        Positive(upstream.IdleTimeout, "Switchyard:Upstream:IdleTimeout");
        Positive(options.PingInterval, "Switchyard:PingInterval");
        options.Responses.Validate();
        if (options.MaxRequestBodyBytes is < 1024 or > MaxBodyLimit)
        {
            throw new InvalidOperationException(
                $"Switchyard:MaxRequestBodyBytes: {options.MaxRequestBodyBytes.ToString(CultureInfo.InvariantCulture)} is out of range (1024 to {MaxBodyLimit.ToString(CultureInfo.InvariantCulture)}).");
        }

        foreach (var (effort, mapped) in options.Translation.EffortMap)
        {
            if (string.IsNullOrWhiteSpace(mapped))
            {
                throw new InvalidOperationException($"Switchyard:Translation:EffortMap:{effort}: must not be empty.");
            }
        }

        if (options.ThinkingSigningKey is { } signingKey &&
            (!TryBase64(signingKey, out var bytes) || bytes.Length < 16))
        {
            throw new InvalidOperationException("Switchyard:ThinkingSigningKey: must be base64 of at least 16 bytes.");
        }

        var providerNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { upstream.Name };
        ValidateProvider(upstream, "Switchyard:Upstream");
        foreach (var provider in options.Providers)
        {
            if (string.IsNullOrWhiteSpace(provider.Name) || !providerNames.Add(provider.Name))
            {
                throw new InvalidOperationException($"Switchyard:Providers: every provider needs a unique Name ('{provider.Name}').");
            }

            if (!provider.BaseUrl.IsAbsoluteUri || (provider.BaseUrl.Scheme != Uri.UriSchemeHttp && provider.BaseUrl.Scheme != Uri.UriSchemeHttps))
            {
                throw new InvalidOperationException($"Switchyard:Providers:{provider.Name}:BaseUrl: '{provider.BaseUrl}' is not an absolute http(s) URL.");
            }

            ValidateProvider(provider, $"Switchyard:Providers:{provider.Name}");
        }

        var resilience = options.Resilience;
        if (resilience.MaxRetries < 0 || resilience.MaxContinuations < 0)
        {
            throw new InvalidOperationException("Switchyard:Resilience: MaxRetries and MaxContinuations must not be negative.");
        }

        Positive(resilience.RetryBudget, "Switchyard:Resilience:RetryBudget");
        Positive(resilience.BaseDelay, "Switchyard:Resilience:BaseDelay");
        Positive(resilience.MaxDelay, "Switchyard:Resilience:MaxDelay");
        Positive(resilience.ConnectTimeout, "Switchyard:Resilience:ConnectTimeout");
        Positive(resilience.CircuitBreaker.BreakDuration, "Switchyard:Resilience:CircuitBreaker:BreakDuration");
        Positive(resilience.CircuitBreaker.SamplingDuration, "Switchyard:Resilience:CircuitBreaker:SamplingDuration");
        if (resilience.CircuitBreaker.FailureRatio is < 0 or > 1)
        {
            throw new InvalidOperationException("Switchyard:Resilience:CircuitBreaker:FailureRatio: must be between 0 and 1.");
        }

        Positive(options.DrainTimeout, "Switchyard:DrainTimeout");
        Positive(options.RequestBodies.RetainFor, "Switchyard:RequestBodies:RetainFor");
        if (options.RequestBodies.MaxBytes < 1)
        {
            throw new InvalidOperationException("Switchyard:RequestBodies:MaxBytes: must be positive.");
        }

        foreach (var model in options.Models.Catalog)
        {
            if (model.Provider is not null && !providerNames.Contains(model.Provider))
            {
                throw new InvalidOperationException($"Switchyard:Models:Catalog: model '{model.Id}' names provider '{model.Provider}', which is not configured.");
            }

            if (string.IsNullOrWhiteSpace(model.Id))
            {
                throw new InvalidOperationException("Switchyard:Models:Catalog: every model needs an Id.");
            }

            if (model.MaxOutputTokens < 1)
            {
                throw new InvalidOperationException($"Switchyard:Models:Catalog: MaxOutputTokens of '{model.Id}' must be positive.");
            }
        }

        Models.ModelCatalog catalog;
        try
        {
            catalog = new Models.ModelCatalog(options.Models);
        }
        catch (ArgumentException exception)
        {
            throw new InvalidOperationException(exception.Message.Split(" (Parameter")[0], exception);
        }

        var providers = options.Providers.Prepend(upstream).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        Routing.Router.Validate([.. options.Routes], name => providers.GetValueOrDefault(name), catalog);
    }

    private static void ValidateProvider(Providers.ProviderOptions provider, string path)
    {
        Positive(provider.FirstByteTimeout, path + ":FirstByteTimeout");
        Positive(provider.IdleTimeout, path + ":IdleTimeout");
        if (provider.ConnectTimeout is { } connect)
        {
            Positive(connect, path + ":ConnectTimeout");
        }

        for (var i = 0; i < provider.Endpoints.Count; i++)
        {
            if (provider.Endpoints[i].BaseUrl is not { } url || !url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                throw new InvalidOperationException($"{path}:Endpoints:{i}:BaseUrl: '{provider.Endpoints[i].BaseUrl}' is not an absolute http(s) URL.");
            }
        }
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{name}: must be a positive duration (e.g. 00:00:10), got {value}.");
        }
    }

    private static bool TryBase64(string value, out byte[] bytes)
    {
        bytes = new byte[value.Length];
        if (Convert.TryFromBase64String(value, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }
}
