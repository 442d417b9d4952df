using System.Text.Json.Serialization;

namespace Switchyard.Accounting;

/// <summary>Source-generated JSON for ledger outbox lines.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RequestRecord))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class LedgerJsonContext : JsonSerializerContext;
