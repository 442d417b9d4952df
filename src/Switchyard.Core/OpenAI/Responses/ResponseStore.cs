using System.Text.Json;
using Switchyard.Errors;
using Switchyard.Storage;

namespace Switchyard.OpenAI.Responses;

/// <summary>
/// Stored responses in the platform database (SQLite or PostgreSQL): each row holds one response and its own input
/// items, linked to the response it continued, so <c>previous_response_id</c> rebuilds a conversation in one
/// recursive query on any replica. Rows belong to the client key that created them (the key scope: the key's id, or
/// empty in open mode) and expire after <see cref="ResponsesOptions.Retention"/>.
/// </summary>
public sealed class ResponseStore
{
    private const int PruneEvery = 256;
    private const int MaxChain = 10_000;
    private readonly PlatformDatabase _database;
    private readonly ResponsesOptions _options;
    private readonly TimeProvider _time;
    private long _writes;

    /// <summary>Creates the store over <paramref name="database"/> (migrated to schema version 4 or later).</summary>
    public ResponseStore(PlatformDatabase database, ResponsesOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        _database = database;
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Stores <paramref name="response"/> and its input items (items without an id get one).</summary>
    public async Task SaveAsync(string keyScope, ResponseObject response, IReadOnlyList<ResponseItem> input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyScope);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(input);
        var now = _time.GetUtcNow();
        var items = input.Select(WithId).ToList();
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using (var command = PlatformDatabase.Command(connection,
            "INSERT INTO responses (id, key_scope, previous_response_id, created_at, expires_at, input_items, response) VALUES (@id, @key, @previous, @created, @expires, @input, @response)",
            null,
            ("id", response.Id), ("key", keyScope), ("previous", response.PreviousResponseId), ("created", _database.Time(now)),
            ("expires", _database.Time(now + _options.Retention)),
            ("input", JsonSerializer.Serialize(items, ResponsesJsonContext.Default.IReadOnlyListResponseItem)),
            ("response", JsonSerializer.Serialize(response, ResponsesJsonContext.Default.ResponseObject))))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (Interlocked.Increment(ref _writes) % PruneEvery == 0)
        {
            await using var prune = PlatformDatabase.Command(connection, "DELETE FROM responses WHERE expires_at < @now", null, ("now", _database.Time(now)));
            await prune.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The stored response's JSON, or null when there is none for this key.</summary>
    public async Task<string?> GetJsonAsync(string id, string keyScope, CancellationToken cancellationToken = default) =>
        await ReadColumnAsync("response", id, keyScope, cancellationToken);

    /// <summary>The stored response's own input items, or null when there is none for this key.</summary>
    public async Task<IReadOnlyList<ResponseItem>?> GetInputItemsAsync(string id, string keyScope, CancellationToken cancellationToken = default) =>
        await ReadColumnAsync("input_items", id, keyScope, cancellationToken) is { } json ? ParseItems(json) : null;

    /// <summary>Deletes a stored response; false when there is none for this key.</summary>
    public async Task<bool> DeleteAsync(string id, string keyScope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(keyScope);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = PlatformDatabase.Command(connection, "DELETE FROM responses WHERE id = @id AND key_scope = @key AND expires_at > @now", null,
            ("id", id), ("key", keyScope), ("now", _database.Time(_time.GetUtcNow())));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>
    /// The conversation a response ends: for each response of its chain, oldest first, its input items then its output.
    /// </summary>
    /// <exception cref="GatewayException">404 when the response, or one before it in its chain, is not stored for this key.</exception>
    public async Task<IReadOnlyList<ResponseItem>> LoadConversationAsync(string id, string keyScope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(keyScope);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = PlatformDatabase.Command(connection,
            """
            WITH RECURSIVE chain(id, previous_response_id, input_items, response, depth) AS (
                SELECT id, previous_response_id, input_items, response, 0 FROM responses WHERE id = @id AND key_scope = @key AND expires_at > @now
                UNION ALL
                SELECT r.id, r.previous_response_id, r.input_items, r.response, c.depth + 1 FROM responses r JOIN chain c ON r.id = c.previous_response_id
                WHERE r.key_scope = @key AND r.expires_at > @now AND c.depth < @max)
            SELECT previous_response_id, input_items, response FROM chain ORDER BY depth DESC
            """,
            null, ("id", id), ("key", keyScope), ("now", _database.Time(_time.GetUtcNow())), ("max", MaxChain));
        var conversation = new List<ResponseItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var first = true;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (first && !reader.IsDBNull(0))
            {
                throw PreviousNotFound($"Response '{id}' continues '{reader.GetString(0)}', which is no longer stored (deleted or expired).");
            }

            first = false;
            conversation.AddRange(ParseItems(reader.GetString(1)));
            conversation.AddRange(JsonSerializer.Deserialize(reader.GetString(2), ResponsesJsonContext.Default.ResponseObject)!.Output);
        }

        return first ? throw PreviousNotFound($"Previous response with id '{id}' not found.") : conversation;
    }

    /// <summary>The 404 for an id that is not stored for the caller.</summary>
    public static GatewayException NotFound(string id) =>
        new(GatewayErrorKind.NotFound, $"Response with id '{id}' not found.", "response_id");

    private static GatewayException PreviousNotFound(string message) =>
        new(GatewayErrorKind.NotFound, message, "previous_response_id") { Code = "previous_response_not_found" };

    private async Task<string?> ReadColumnAsync(string column, string id, string keyScope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(keyScope);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = PlatformDatabase.Command(connection, $"SELECT {column} FROM responses WHERE id = @id AND key_scope = @key AND expires_at > @now", null,
            ("id", id), ("key", keyScope), ("now", _database.Time(_time.GetUtcNow())));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static IReadOnlyList<ResponseItem> ParseItems(string json) =>
        JsonSerializer.Deserialize(json, ResponsesJsonContext.Default.IReadOnlyListResponseItem) ?? [];

    private static ResponseItem WithId(ResponseItem item) => item.Id is not null ? item : item with
    {
        Id = ResponsesIds.New(item switch
        {
            MessageItem => "msg_",
            ReasoningItem => "rs_",
            FunctionCallItem => "fc_",
            FunctionCallOutputItem => "fco_",
            CustomToolCallItem => "ctc_",
            _ => "ctco_",
        }),
    };
}
