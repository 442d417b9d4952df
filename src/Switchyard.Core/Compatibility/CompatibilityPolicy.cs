using System.Text;

namespace Switchyard.Compatibility;

/// <summary>
/// The one table that says which parts of an Anthropic Messages request Switchyard honours, ignores or rejects
/// when the upstream speaks DeepSeek's Chat Completions format. The request parser, the README table and the
/// <c>check</c> command all read it; nothing else decides.
/// </summary>
public static class CompatibilityPolicy
{
    /// <summary>Every rule, in the order the README shows them.</summary>
    public static IReadOnlyList<CompatibilityRule> Rules { get; } =
    [
        new(CompatibilityScope.Header, "x-api-key", Support.Honoured, "Client key (or `Authorization: Bearer`); never forwarded upstream."),
        new(CompatibilityScope.Header, "authorization", Support.Honoured, "`Bearer <key>`, same as `x-api-key`."),
        new(CompatibilityScope.Header, "anthropic-version", Support.Ignored, "Accepted, any value."),
        new(CompatibilityScope.Header, "anthropic-beta", Support.Ignored, "Accepted, any (comma-separated) value; Claude Code sends many."),

        new(CompatibilityScope.Field, "model", Support.Honoured, "Resolved through the model catalog and aliases; the response's `model` names the model that served."),
        new(CompatibilityScope.Field, "max_tokens", Support.Honoured, "→ `max_tokens` (1 to the model's limit). `0` warms the upstream prompt cache and returns no content."),
        new(CompatibilityScope.Field, "messages", Support.Honoured, "→ `messages`; `role:\"system\"` entries stay system messages at their position."),
        new(CompatibilityScope.Field, "system", Support.Honoured, "→ a leading system message. Claude Code's `x-anthropic-billing-header` block is dropped (it changes per release and busts prefix caching)."),
        new(CompatibilityScope.Field, "stream", Support.Honoured, "Server-sent events translated live from the upstream stream."),
        new(CompatibilityScope.Field, "stop_sequences", Support.Honoured, "Matched by Switchyard on the upstream stream, which is ended at the match, so `stop_sequence` names the sequence that fired."),
        new(CompatibilityScope.Field, "temperature", Support.Honoured, "→ `temperature`, 0–2 as DeepSeek allows (DeepSeek ignores it in thinking mode)."),
        new(CompatibilityScope.Field, "top_p", Support.Honoured, "→ `top_p`, 0–1."),
        new(CompatibilityScope.Field, "top_k", Support.Ignored, "DeepSeek has no `top_k`."),
        new(CompatibilityScope.Field, "metadata", Support.Honoured, "`metadata.user_id` → `user_id`, reduced to `[A-Za-z0-9_-]`, at most 512 characters; other keys ignored."),
        new(CompatibilityScope.Field, "tools", Support.Honoured, "Custom tools → functions (`input_schema` → `parameters`). At most 128."),
        new(CompatibilityScope.Field, "tool_choice", Support.Honoured, "none/auto/any/tool → none/auto/required/named. `any` and `tool` turn thinking off for that request (DeepSeek rejects forced tool choice in thinking mode). `disable_parallel_tool_use` is ignored."),
        new(CompatibilityScope.Field, "thinking", Support.Honoured, "`enabled`/`adaptive` → thinking enabled; `disabled` or absent → thinking explicitly disabled. `budget_tokens` is ignored and may be left out (DeepSeek has no budget)."),
        new(CompatibilityScope.Field, "output_config", Support.Honoured, "`effort` → `reasoning_effort` (low/medium/high → high, xhigh/max → max). `format` (structured output) is rejected: DeepSeek has no JSON-schema mode."),
        new(CompatibilityScope.Field, "output_format", Support.Rejected, "Structured output (beta): DeepSeek has no JSON-schema mode."),
        new(CompatibilityScope.Field, "cache_control", Support.Ignored, "DeepSeek caches prefixes automatically; cache hits are reported as `cache_read_input_tokens`."),
        new(CompatibilityScope.Field, "service_tier", Support.Ignored, "One tier upstream."),
        new(CompatibilityScope.Field, "container", Support.Ignored, "No code-execution containers."),
        new(CompatibilityScope.Field, "inference_geo", Support.Ignored, "Not applicable."),
        new(CompatibilityScope.Field, "context_management", Support.Ignored, "Context edits are not applied; the conversation is sent as given."),
        new(CompatibilityScope.Field, "mcp_servers", Support.Ignored, "Switchyard does not call MCP servers."),
        new(CompatibilityScope.Field, "speed", Support.Ignored, "Beta field."),
        new(CompatibilityScope.Field, "fallbacks", Support.Ignored, "Beta field."),
        new(CompatibilityScope.Field, "diagnostics", Support.Ignored, "Beta field."),
        new(CompatibilityScope.Field, "fallback_credit_token", Support.Ignored, "Beta field."),
        new(CompatibilityScope.Field, "user_profile_id", Support.Ignored, "Beta field."),
        new(CompatibilityScope.Field, "*", Support.Ignored, "Any other top-level field is ignored, so new client fields do not break requests."),

        new(CompatibilityScope.Block, "text", Support.Honoured, "→ message text (blocks of one turn joined by a blank line); `cache_control` and `citations` ignored."),
        new(CompatibilityScope.Block, "thinking", Support.Honoured, "Assistant thinking → `reasoning_content` of that message, replayed by DeepSeek V4's rule."),
        new(CompatibilityScope.Block, "tool_use", Support.Honoured, "→ `tool_calls` with the same id."),
        new(CompatibilityScope.Block, "tool_result", Support.Honoured, "→ a `tool` message; text content only; `is_error:true` is carried as an `[error]` prefix because DeepSeek ignores the flag."),
        new(CompatibilityScope.Block, "mid_conv_system", Support.Honoured, "Wrapper of a mid-conversation system message; its text is used."),
        new(CompatibilityScope.Block, "image", Support.Rejected, "DeepSeek's chat models take no images; a route can send such requests to a provider that takes them (docs/routing.md)."),
        new(CompatibilityScope.Block, "document", Support.Rejected, "DeepSeek's chat models take no documents; a route can send such requests to a provider that takes them (docs/routing.md)."),
        new(CompatibilityScope.Block, "search_result", Support.Rejected, "Not supported by DeepSeek."),
        new(CompatibilityScope.Block, "redacted_thinking", Support.Rejected, "Encrypted Anthropic reasoning cannot be replayed to DeepSeek."),
        new(CompatibilityScope.Block, "server_tool_use", Support.Rejected, "Server tools do not run upstream."),
        new(CompatibilityScope.Block, "*_tool_result", Support.Rejected, "Server tool results (web search, web fetch, code execution, tool search) do not run upstream."),
        new(CompatibilityScope.Block, "mcp_tool_use", Support.Rejected, "MCP blocks are not supported."),
        new(CompatibilityScope.Block, "mcp_tool_result", Support.Rejected, "MCP blocks are not supported."),
        new(CompatibilityScope.Block, "container_upload", Support.Rejected, "No code-execution containers."),
        new(CompatibilityScope.Block, "*", Support.Rejected, "Unknown block types are rejected rather than silently dropped."),

        new(CompatibilityScope.Tool, "custom", Support.Honoured, "Also when `type` is absent. `cache_control`, `strict`, `defer_loading`, `input_examples` ignored."),
        new(CompatibilityScope.Tool, "bash_*", Support.Honoured, "Anthropic-defined client tool: sent as a `bash` function with its documented input schema."),
        new(CompatibilityScope.Tool, "text_editor_*", Support.Honoured, "Anthropic-defined client tool: sent as a function with its documented input schema."),
        new(CompatibilityScope.Tool, "web_search_*", Support.Rejected, "Server tool: DeepSeek cannot run it."),
        new(CompatibilityScope.Tool, "web_fetch_*", Support.Rejected, "Server tool: DeepSeek cannot run it."),
        new(CompatibilityScope.Tool, "code_execution_*", Support.Rejected, "Server tool: DeepSeek cannot run it."),
        new(CompatibilityScope.Tool, "tool_search_tool_*", Support.Rejected, "Server tool: DeepSeek cannot run it."),
        new(CompatibilityScope.Tool, "computer_*", Support.Rejected, "Computer use needs image input."),
        new(CompatibilityScope.Tool, "memory_*", Support.Rejected, "Not translated."),
        new(CompatibilityScope.Tool, "*", Support.Rejected, "Unknown tool types are rejected."),
    ];

    /// <summary>The rule for <paramref name="name"/> in <paramref name="scope"/>; exact names win over patterns.</summary>
    public static CompatibilityRule Lookup(CompatibilityScope scope, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        CompatibilityRule? pattern = null;
        foreach (var rule in Rules)
        {
            if (rule.Scope != scope)
            {
                continue;
            }

            if (string.Equals(rule.Name, name, StringComparison.Ordinal))
            {
                return rule;
            }

            if (rule.Name.EndsWith('*') && rule.Matches(name) &&
                (pattern is null || rule.Name.Length > pattern.Name.Length))
            {
                pattern = rule;
            }
        }

        return pattern ?? throw new InvalidOperationException($"No compatibility rule for {scope} '{name}'.");
    }

    /// <summary>Renders the table as Markdown, as it appears in the README.</summary>
    public static string RenderMarkdown()
    {
        var sb = new StringBuilder();
        sb.Append("| Part | Name | Support | Notes |\n|---|---|---|---|\n");
        foreach (var rule in Rules)
        {
            sb.Append("| ").Append(ScopeLabel(rule.Scope))
              .Append(" | `").Append(rule.Name).Append("` | ")
              .Append(rule.Support switch { Support.Honoured => "honoured", Support.Ignored => "ignored", _ => "**rejected**" })
              .Append(" | ").Append(rule.Note.Replace("|", "\\|", StringComparison.Ordinal)).Append(" |\n");
        }

        return sb.ToString();
    }

    private static string ScopeLabel(CompatibilityScope scope) => scope switch
    {
        CompatibilityScope.Header => "header",
        CompatibilityScope.Field => "field",
        CompatibilityScope.Block => "content block",
        _ => "tool type",
    };
}
