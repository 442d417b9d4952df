namespace Switchyard.Hosting;

/// <summary>
/// Which web pages may call Switchyard (<c>Switchyard:BrowserSafety</c>). By default none: requests that carry an
/// <c>Origin</c> other than Switchyard's own are refused, and there is no CORS.
/// </summary>
public sealed class BrowserSafetyOptions
{
    /// <summary>
    /// Origins (<c>https://app.example.com</c>, scheme, host and port) whose pages may call the API, with CORS
    /// headers and preflights answered; <c>*</c> allows every origin.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>
    /// Host names accepted in open mode besides loopback names and addresses (and the address the request arrived
    /// on); <c>*</c> turns the check off.
    /// </summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>Binds <c>Switchyard:BrowserSafety</c> and normalises the origins.</summary>
    /// <exception cref="InvalidOperationException">An origin is not <c>scheme://host[:port]</c>; the message names the setting.</exception>
    public static BrowserSafetyOptions Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new BrowserSafetyOptions();
        configuration.GetSection("Switchyard:BrowserSafety").Bind(options);
        for (var i = 0; i < options.AllowedOrigins.Count; i++)
        {
            var origin = options.AllowedOrigins[i].Trim();
            if (origin == "*")
            {
                continue;
            }

            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/")
            {
                throw new InvalidOperationException(
                    $"Switchyard:BrowserSafety:AllowedOrigins: '{origin}' is not an origin; write it as a browser sends it, e.g. https://app.example.com or http://localhost:3000.");
            }

            options.AllowedOrigins[i] = uri.GetLeftPart(UriPartial.Authority);
        }

        return options;
    }
}
