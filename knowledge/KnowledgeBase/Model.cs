using ExportCenter.Knowledge.Language;

namespace ExportCenter.Knowledge.KnowledgeBase;

/// <summary>A text in Swedish and English.</summary>
public sealed record LocalizedText(string Sv, string En)
{
    /// <summary>The text in the given language.</summary>
    public string In(ConversationLanguage language) => language == ConversationLanguage.Swedish ? Sv : En;
}

/// <summary>An organisation the bot sends companies to: a member of the export centre or a referral agency.</summary>
public sealed record Organisation(
    string Id,
    OrganisationKind Kind,
    LocalizedText Name,
    LocalizedText Summary,
    IReadOnlyList<LocalizedText> Services,
    Uri Web,
    string? Phone,
    string? Email,
    LocalizedText? Office,
    IReadOnlyList<RoleContact> Contacts,
    IReadOnlyList<Uri> Sources,
    DateOnly Reviewed)
{
    /// <summary>Short forms and other names companies use (EKN, SEK, "handelskammaren", …), in any language.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
}

/// <summary>Whether an organisation stands behind the export centre's door or is an agency it refers to.</summary>
public enum OrganisationKind
{
    /// <summary>A member of the regional export centre.</summary>
    Member,

    /// <summary>An agency outside the centre that the bot refers to.</summary>
    Referral,
}

/// <summary>A role at an organisation (never a named person) and how to reach it.</summary>
public sealed record RoleContact(LocalizedText Role, LocalizedText How);

/// <summary>A link to an organisation's own page.</summary>
public sealed record TopicLink(string OrganisationId, Uri Url, LocalizedText Title);

/// <summary>A question whose answer refines the topic's answer.</summary>
public sealed record FollowUp(string Id, LocalizedText Question, IReadOnlyList<FollowUpOption> Options);

/// <summary>One possible answer to a follow-up question and what it changes.</summary>
public sealed record FollowUpOption(string Id, LocalizedText Label, LocalizedText Answer);

/// <summary>What a follow-up question asks about a topic, whatever the topic is.</summary>
public enum Facet
{
    /// <summary>What it costs ("vad kostar det?").</summary>
    Cost,

    /// <summary>How long it takes ("hur lång tid tar det?").</summary>
    Time,

    /// <summary>Who may apply or use it ("vem kan söka?").</summary>
    Eligibility,

    /// <summary>How to apply or get started ("hur ansöker man?").</summary>
    Apply,

    /// <summary>What to bring or send ("vilka papper behövs?").</summary>
    Documents,

    /// <summary>Whom to contact ("vem ska jag ringa?").</summary>
    Contact,
}

/// <summary>The facets' ids as the knowledge base and the eval output write them.</summary>
public static class Facets
{
    /// <summary>All facets, in the order the schema lists them.</summary>
    public static IReadOnlyList<Facet> All { get; } = Enum.GetValues<Facet>();

    /// <summary>The id: cost, time, eligibility, apply, documents, contact.</summary>
    public static string Id(this Facet facet) => facet.ToString().ToLowerInvariant();

    /// <summary>The facet with this id, or null.</summary>
    public static Facet? FromId(string? id) => All.Cast<Facet?>().FirstOrDefault(f => f!.Value.Id() == id);
}

/// <summary>An export topic with its curated answer and its route to the right organisations.</summary>
public sealed record Topic(
    string Id,
    string OwnerId,
    DateOnly Reviewed,
    LocalizedText Title,
    LocalizedText Answer,
    IReadOnlyList<string> Route,
    IReadOnlyList<TopicLink> Links,
    IReadOnlyList<FollowUp> FollowUps,
    IReadOnlyList<string> Related,
    IReadOnlyList<string> ExamplesSv,
    IReadOnlyList<string> ExamplesEn)
{
    /// <summary>The longer explanation, shown on demand (never first).</summary>
    public LocalizedText? Details { get; init; }

    /// <summary>Short answers to the questions companies ask next, by facet.</summary>
    public IReadOnlyDictionary<Facet, LocalizedText> Facets { get; init; } = new Dictionary<Facet, LocalizedText>();

    /// <summary>The organisations' own pages the facts come from.</summary>
    public IReadOnlyList<Uri> Sources { get; init; } = [];

    /// <summary>Curated words companies use for the topic in other languages (fi, nb, da, de, …), by language code.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Terms { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}

/// <summary>Example phrasings of what is not a topic: smalltalk, requests for a person, out of scope.</summary>
public sealed record IntentExamples(
    IReadOnlyList<string> SmalltalkSv,
    IReadOnlyList<string> SmalltalkEn,
    IReadOnlyList<string> HandoffSv,
    IReadOnlyList<string> HandoffEn,
    IReadOnlyList<string> OutOfScopeSv,
    IReadOnlyList<string> OutOfScopeEn)
{
    /// <summary>Smalltalk in the region's other languages.</summary>
    public IReadOnlyList<string> SmalltalkOther { get; init; } = [];

    /// <summary>Requests for a person in the region's other languages.</summary>
    public IReadOnlyList<string> HandoffOther { get; init; } = [];

    /// <summary>Out-of-scope messages in the region's other languages.</summary>
    public IReadOnlyList<string> OutOfScopeOther { get; init; } = [];
}

/// <summary>The loaded, validated knowledge base.</summary>
public sealed class KnowledgeBase
{
    /// <summary>Creates the knowledge base from validated parts.</summary>
    public KnowledgeBase(IReadOnlyList<Organisation> organisations, IReadOnlyList<Topic> topics, IntentExamples intents)
    {
        Organisations = organisations;
        Topics = topics;
        Intents = intents;
        OrganisationsById = organisations.ToDictionary(o => o.Id, StringComparer.Ordinal);
        TopicsById = topics.ToDictionary(t => t.Id, StringComparer.Ordinal);
    }

    /// <summary>All organisations, in file order.</summary>
    public IReadOnlyList<Organisation> Organisations { get; }

    /// <summary>All topics, ordered by id.</summary>
    public IReadOnlyList<Topic> Topics { get; }

    /// <summary>Examples of the non-topic outcomes.</summary>
    public IntentExamples Intents { get; }

    /// <summary>Organisations by id.</summary>
    public IReadOnlyDictionary<string, Organisation> OrganisationsById { get; }

    /// <summary>Topics by id.</summary>
    public IReadOnlyDictionary<string, Topic> TopicsById { get; }

    /// <summary>
    /// Which version of the files this is: the first 12 hex digits of a SHA-256 over the data files, so the answer audit
    /// can say which text a company was given. "unsaved" for a knowledge base built in code.
    /// </summary>
    public string Revision { get; init; } = "unsaved";
}
