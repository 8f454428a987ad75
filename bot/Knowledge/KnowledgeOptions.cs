using System.ComponentModel.DataAnnotations;

namespace ExportCenter.Bot.Knowledge;

/// <summary>Where the knowledge base lives and how old a review may be (section "Knowledge").</summary>
public sealed class KnowledgeOptions
{
    public const string SectionName = "Knowledge";

    /// <summary>The folder with organisations.yaml, intents.yaml and topics/. Empty: the copy next to the binaries.</summary>
    public string? Path { get; set; }

    /// <summary>Entries whose <c>reviewed</c> date is older than this are listed as a warning at start-up.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan ReviewInterval { get; set; } = TimeSpan.FromDays(365);
}
