namespace Switchyard.Compatibility;

public static partial class CompatibilityTables
{
    /// <summary>Every lane's table, in the README's order (computed: the tables live in several files, whose static initialisers run in no fixed order).</summary>
    public static IReadOnlyList<CompatibilityTable> All => [MessagesToChat, MessagesPassthrough, ChatToChat, ChatToMessages, Completions, ResponsesToChat, ResponsesToMessages];
}
