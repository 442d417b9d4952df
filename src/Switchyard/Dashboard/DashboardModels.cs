using Switchyard.Accounting;

namespace Switchyard.Dashboard;

/// <summary>What the page needs once signed in: the token its state-changing requests must send.</summary>
/// <param name="Csrf">Sent back as <c>x-csrf-token</c> on every POST.</param>
/// <param name="BodiesRetained">Whether request bodies are kept (<c>Switchyard:RequestBodies:Retain</c>).</param>
internal sealed record DashboardSession(string Csrf, bool BodiesRetained);

/// <summary>A request to explain: a pasted body and its format.</summary>
/// <param name="Request">The JSON text.</param>
/// <param name="OpenAI">A Chat Completions body (else Anthropic Messages).</param>
internal sealed record ExplainForm(string? Request, bool OpenAI);

/// <summary>What <c>routes explain</c> says.</summary>
/// <param name="Rejected">No route serves it.</param>
/// <param name="Lines">The explanation.</param>
internal sealed record ExplainAnswer(bool Rejected, IReadOnlyList<string> Lines);

/// <summary>One provider endpoint and its circuit, live.</summary>
internal sealed record EndpointView(string Endpoint, string BaseUrl, string Circuit, int ConsecutiveFailures, int Outstanding);

/// <summary>A provider with its endpoints.</summary>
internal sealed record ProviderView(string Name, string Kind, bool Available, IReadOnlyList<EndpointView> Endpoints);

/// <summary>Providers with live circuit states, and the routes in order.</summary>
internal sealed record ProvidersAnswer(IReadOnlyList<ProviderView> Providers, IReadOnlyList<string> Routes);

/// <summary>One request in detail: its ledger record (decisions included) and, when retained, its body.</summary>
internal sealed record RequestDetail(RequestRecord Record, string? Body, bool BodyTruncated, DateTimeOffset? BodyExpiresAt, bool BodiesRetained);
