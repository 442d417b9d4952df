using System.Text.Json.Serialization;
using Switchyard.Observability;

namespace Switchyard.Dashboard;

/// <summary>Source-generated JSON for <c>/admin/stats</c> and the dashboard's data endpoints.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StatsSnapshot))]
[JsonSerializable(typeof(DashboardSession))]
[JsonSerializable(typeof(ExplainForm))]
[JsonSerializable(typeof(ExplainAnswer))]
[JsonSerializable(typeof(ProvidersAnswer))]
[JsonSerializable(typeof(RequestDetail))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
