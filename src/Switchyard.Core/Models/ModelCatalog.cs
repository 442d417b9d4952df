using Switchyard.Errors;

namespace Switchyard.Models;

/// <summary>Resolves requested model names against the catalog and aliases.</summary>
public sealed class ModelCatalog
{
    private readonly ModelEntry _default;
    private readonly UnknownModelPolicy _unknownModels;

    /// <summary>Builds the catalog from options, falling back to the defaults for empty lists.</summary>
    public ModelCatalog(ModelCatalogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Models = options.Catalog.Count > 0 ? [.. options.Catalog] : DefaultModels();
        Aliases = options.Aliases.Count > 0 ? [.. options.Aliases] : DefaultAliases();
        _unknownModels = options.UnknownModels;
        _default = Find(options.DefaultModel)
            ?? throw new ArgumentException($"Switchyard:Models:DefaultModel '{options.DefaultModel}' is not in the model catalog.", nameof(options));
        foreach (var alias in Aliases)
        {
            if (Find(alias.Target) is null)
            {
                throw new ArgumentException($"Switchyard:Models:Aliases: target '{alias.Target}' of '{alias.Pattern}' is not in the model catalog.", nameof(options));
            }
        }
    }

    /// <summary>The catalog, in listing order.</summary>
    public IReadOnlyList<ModelEntry> Models { get; }

    /// <summary>The aliases, in matching order.</summary>
    public IReadOnlyList<ModelAlias> Aliases { get; }

    /// <summary>DeepSeek V4 Flash and Pro.</summary>
    public static List<ModelEntry> DefaultModels() =>
    [
        new() { Id = "deepseek-v4-pro", DisplayName = "DeepSeek V4 Pro" },
        new() { Id = "deepseek-v4-flash", DisplayName = "DeepSeek V4 Flash" },
    ];

    /// <summary>Claude names onto V4 (Opus → Pro, the rest → Flash) and the retired DeepSeek names onto Flash.</summary>
    public static List<ModelAlias> DefaultAliases() =>
    [
        new() { Pattern = "claude-opus*", Target = "deepseek-v4-pro" },
        new() { Pattern = "claude-*", Target = "deepseek-v4-flash" },
        new() { Pattern = "deepseek-chat", Target = "deepseek-v4-flash", Thinking = false },
        new() { Pattern = "deepseek-reasoner", Target = "deepseek-v4-flash", Thinking = true },
    ];

    /// <summary>The catalog entry with this id, or null.</summary>
    public ModelEntry? Find(string id) =>
        Models.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The longest model name accepted: the name is logged and kept in the ledger with every request.</summary>
    public const int MaxNameLength = 256;

    /// <summary>
    /// The requested model name, which must not be blank (an empty name is a client mistake, not a request for
    /// whichever model comes first) nor longer than <see cref="MaxNameLength"/>.
    /// </summary>
    /// <exception cref="GatewayException">The name is empty, white space or too long (400).</exception>
    public static string RequireName(string requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        if (string.IsNullOrWhiteSpace(requested))
        {
            throw GatewayException.Invalid("model: must name a model (it is empty)", "model");
        }

        return requested.Length <= MaxNameLength
            ? requested
            : throw GatewayException.Invalid($"model: a model name has at most {MaxNameLength} characters, this one {requested.Length}", "model");
    }

    /// <summary>Resolves a requested name; throws a 404 <see cref="GatewayException"/> when unknown names are rejected.</summary>
    public ModelResolution Resolve(string requested)
    {
        var name = RequireName(requested).Trim();
        // Claude Code marks its 1M-context variants with a "[1m]" suffix.
        if (name.EndsWith("[1m]", StringComparison.OrdinalIgnoreCase))
        {
            name = name[..^4];
        }

        if (Find(name) is { } exact)
        {
            return new ModelResolution(requested, exact, ModelRemap.None, null);
        }

        foreach (var alias in Aliases)
        {
            if (Glob.IsMatch(alias.Pattern, name))
            {
                return new ModelResolution(requested, Find(alias.Target)!, ModelRemap.Alias, alias.Thinking);
            }
        }

        if (_unknownModels == UnknownModelPolicy.Reject)
        {
            throw new GatewayException(GatewayErrorKind.NotFound,
                $"model: '{requested}' is not served here; available models: {string.Join(", ", Models.Select(m => m.Id))}", "model");
        }

        return new ModelResolution(requested, _default, ModelRemap.Default, null);
    }
}
