namespace Switchyard.OpenAI.Responses;

/// <summary>The Responses API front (configuration section <c>Switchyard:Responses</c>).</summary>
public sealed class ResponsesOptions
{
    /// <summary>How long a stored response (<c>store</c> not false) is kept; OpenAI keeps them 30 days.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Checks the settings.</summary>
    /// <exception cref="InvalidOperationException">A setting is out of range; the message names it.</exception>
    public void Validate()
    {
        if (Retention <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"Switchyard:Responses:Retention must be positive, got {Retention}.");
        }
    }
}
