using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Switchyard.Anthropic;

namespace Switchyard.Translation.ChatToMessages;

/// <summary>
/// Writes the Anthropic Messages request for a read request and its policy, through the source-generated
/// <see cref="MessageCreateParams"/> wire type.
/// </summary>
public sealed class ChatToMessagesWriter
{
    private static readonly JsonTypeInfo<MessageCreateParams> Body =
        new AnthropicJsonContext(ChatJson.SerializerOptions(JsonIgnoreCondition.Never)).MessageCreateParams;

    private readonly ChatToMessagesOptions _options;

    /// <summary>Creates a writer.</summary>
    /// <param name="options">Where the <c>json_object</c> instruction comes from.</param>
    public ChatToMessagesWriter(ChatToMessagesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>The request body (UTF-8 JSON) for <paramref name="upstreamModel"/>.</summary>
    public byte[] Write(ChatToMessagesRequest request, ChatToMessagesPolicy policy, string upstreamModel)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentException.ThrowIfNullOrEmpty(upstreamModel);
        var system = request.System.Select(text => (ContentBlockParam)new TextBlockParam(text)).ToList();
        if (request.JsonObject)
        {
            // Anthropic has no JSON mode.
            system.Add(new TextBlockParam(_options.JsonObjectInstruction));
        }

        var body = new MessageCreateParams
        {
            Model = upstreamModel,
            MaxTokens = policy.MaxTokens,
            System = system.Count > 0 ? system : null,
            Messages = request.Messages,
            StopSequences = request.StopSequences.Count > 0 ? request.StopSequences : null,
            Temperature = policy.Temperature,
            TopP = policy.TopP,
            Metadata = string.IsNullOrEmpty(request.UserId) ? null : new MetadataParam(request.UserId),
            Stream = request.Stream ? true : null,
            Tools = request.Tools.Count > 0 ? request.Tools : null,
            ToolChoice = request.Tools.Count > 0 ? ToolChoice(request) : null,
            Thinking = policy.Budget is { } budget ? new ThinkingConfigParam(budget) : null,
            OutputConfig = policy.Effort is not null || request.JsonSchema is not null
                ? new OutputConfigParam(policy.Effort, request.JsonSchema is { } schema ? new OutputFormatParam(schema) : null)
                : null,
        };
        return JsonSerializer.SerializeToUtf8Bytes(body, Body);
    }

    /// <summary>The client's choice; <c>parallel_tool_calls:false</c> adds <c>disable_parallel_tool_use</c> (with <c>auto</c> when no choice was given).</summary>
    private static ToolChoiceParam? ToolChoice(ChatToMessagesRequest request)
    {
        var disableParallel = request.ParallelToolCalls == false && request.ToolChoice != "none";
        return request.ToolChoice is null && !disableParallel
            ? null
            : new ToolChoiceParam(request.ToolChoice ?? "auto", request.ToolChoiceName, disableParallel ? true : null);
    }
}
