using System.ComponentModel.DataAnnotations;
using ExportCenter.Knowledge.Understanding;

namespace ExportCenter.Bot.Knowledge;

/// <summary>Where the knowledge base lives, how old a review may be and where the trained model is kept (section "Knowledge").</summary>
public sealed class KnowledgeOptions
{
    public const string SectionName = "Knowledge";

    /// <summary>The folder with organisations.yaml, intents.yaml and topics/. Empty: the copy next to the binaries.</summary>
    public string? Path { get; set; }

    /// <summary>Entries whose <c>reviewed</c> date is older than this are listed as a warning at start-up.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan ReviewInterval { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// Where the understanding model is kept when it had to be trained at start-up (relative to the working directory,
    /// like the database's data/), so that the next start reads it instead. The model the build trained next to the
    /// binaries is read first; either is used only when it was trained from this knowledge base by this code. Empty:
    /// never written.
    /// </summary>
    public string? ModelCache { get; set; } = "data/" + UnderstandingModelFile.FileName;
}
