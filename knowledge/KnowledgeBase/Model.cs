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
    DateOnly Reviewed);

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
    IReadOnlyList<string> ExamplesEn);

/// <summary>Example phrasings of what is not a topic: smalltalk, requests for a person, out of scope.</summary>
public sealed record IntentExamples(
    IReadOnlyList<string> SmalltalkSv,
    IReadOnlyList<string> SmalltalkEn,
    IReadOnlyList<string> HandoffSv,
    IReadOnlyList<string> HandoffEn,
    IReadOnlyList<string> OutOfScopeSv,
    IReadOnlyList<string> OutOfScopeEn);

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
}
