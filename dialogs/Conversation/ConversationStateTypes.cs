using System.Collections.Frozen;
using ExportCenter.Dialogs.DialogLayer;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>
/// The properties the dialogs keep in a conversation's state, with their types. A store that reads these properties
/// as their own types saves a copy: BotState hands out a stored value that has the asked type as it is, where it
/// converts any other one (a JObject, say) into a new object on every read.
/// </summary>
public static class ConversationStateTypes
{
    public static FrozenDictionary<string, Type> ByProperty { get; } = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        [nameof(ConversationData)] = typeof(ConversationData),
        [nameof(DialogStackState)] = typeof(DialogStackState),
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
