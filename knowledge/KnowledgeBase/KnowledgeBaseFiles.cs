namespace ExportCenter.Knowledge.KnowledgeBase;

// The shapes of the YAML files as written (knowledge/data/SCHEMA.md). Everything is optional here so
// that the validator, not the parser, reports what is missing, naming file, entry and field.
#pragma warning disable CA1002, CA2227, CA1056 // Plain data carriers for the YAML deserializer.

internal sealed class TextFile
{
    public string? Sv { get; set; }

    public string? En { get; set; }
}

internal sealed class OrganisationsFile
{
    public List<OrganisationEntry>? Organisations { get; set; }
}

internal sealed class OrganisationEntry
{
    public string? Id { get; set; }

    public string? Kind { get; set; }

    public TextFile? Name { get; set; }

    public TextFile? Summary { get; set; }

    public List<TextFile>? Services { get; set; }

    public string? Web { get; set; }

    public string? Phone { get; set; }

    public string? Email { get; set; }

    public TextFile? Office { get; set; }

    public List<ContactEntry>? Contacts { get; set; }

    public List<string>? Sources { get; set; }

    public string? Reviewed { get; set; }

    public List<string>? Aliases { get; set; }
}

internal sealed class ContactEntry
{
    public TextFile? Role { get; set; }

    public TextFile? How { get; set; }
}

internal sealed class TopicEntry
{
    public string? Id { get; set; }

    public string? Owner { get; set; }

    public string? Reviewed { get; set; }

    public TextFile? Title { get; set; }

    public TextFile? Answer { get; set; }

    public List<string>? Route { get; set; }

    public List<LinkEntry>? Links { get; set; }

    public List<FollowUpEntry>? FollowUps { get; set; }

    public List<string>? Related { get; set; }

    public ExamplesEntry? Examples { get; set; }

    public TextFile? Details { get; set; }

    public Dictionary<string, TextFile>? Facets { get; set; }

    public List<string>? Sources { get; set; }

    public Dictionary<string, List<string>>? Terms { get; set; }
}

internal sealed class LinkEntry
{
    public string? Organisation { get; set; }

    public string? Url { get; set; }

    public TextFile? Title { get; set; }
}

internal sealed class FollowUpEntry
{
    public string? Id { get; set; }

    public TextFile? Question { get; set; }

    public List<OptionEntry>? Options { get; set; }
}

internal sealed class OptionEntry
{
    public string? Id { get; set; }

    public TextFile? Label { get; set; }

    public TextFile? Answer { get; set; }
}

internal sealed class ExamplesEntry
{
    public List<string>? Sv { get; set; }

    public List<string>? En { get; set; }

    /// <summary>Phrasings in the region's other languages (intents.yaml only).</summary>
    public List<string>? Other { get; set; }
}

internal sealed class IntentsFile
{
    public ExamplesEntry? Smalltalk { get; set; }

    public ExamplesEntry? Handoff { get; set; }

    public ExamplesEntry? OutOfScope { get; set; }
}
#pragma warning restore CA1002, CA2227, CA1056
