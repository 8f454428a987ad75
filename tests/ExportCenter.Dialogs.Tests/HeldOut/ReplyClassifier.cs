using ExportCenter.Dialogs.Tests.Cards;
using ExportCenter.Dialogs.Conversation;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Language;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Dialogs.Tests.HeldOut;

/// <summary>What a person sees in the bot's replies to one turn: the kind of reply and, where shown, the topic, facet and organisation.</summary>
public sealed record SeenReply(string Action, string? Topic = null, string? Facet = null, string? Organisation = null, string? Detail = null)
{
    public override string ToString() =>
        Action + (Topic is null ? "" : $" topic={Topic}") + (Facet is null ? "" : $" facet={Facet}")
        + (Organisation is null ? "" : $" organisation={Organisation}") + (Detail is null ? "" : $" ({Detail})");
}

/// <summary>
/// Reads the bot's replies to a turn as a person would: an answer card by its heading (a topic's title, "title: facet
/// heading", or an organisation's name), the clarify intro, the handoff's consent question or prompts, the short
/// replies and menu of smalltalk, the out-of-scope reply. A notice card in another language is ignored.
/// </summary>
public sealed class ReplyClassifier
{
    private static readonly ConversationLanguage[] Languages = [ConversationLanguage.Swedish, ConversationLanguage.English];

    private readonly Dictionary<string, SeenReply> _headings = new(StringComparer.Ordinal);
    private readonly List<(string Text, string Action)> _exact = [];
    private readonly List<(string Start, string Action)> _starts = [];

    public ReplyClassifier(KnowledgeBase knowledge)
    {
        ArgumentNullException.ThrowIfNull(knowledge);
        foreach (var language in Languages)
        {
            foreach (var topic in knowledge.Topics)
            {
                _headings.TryAdd(topic.Title.In(language), new SeenReply("answer", topic.Id));
                foreach (var facet in Facets.All)
                {
                    _headings.TryAdd($"{topic.Title.In(language)}: {ContextTexts.FacetHeading(facet, language)}", new SeenReply("answer", topic.Id, facet.Id()));
                }
            }

            foreach (var organisation in knowledge.Organisations)
            {
                _headings.TryAdd(organisation.Name.In(language), new SeenReply("answer", Organisation: organisation.Id));
            }

            var bot = BotTexts.For(language);
            var handoff = HandoffTexts.For(language);
            _exact.AddRange([
                (bot.ClarifyIntro, "clarify"),
                (bot.SmalltalkReply, "smalltalk"), (bot.WelcomeHeading, "smalltalk"), (bot.GladItHelped, "smalltalk"),
                (bot.Cancelled, "command"), (bot.Help, "command"), (bot.SwitchedLanguage, "command"),
                (bot.ReplyNoText, "other"), (bot.TurnError, "error"),
            ]);
            _starts.Add((bot.OutOfScopeReply, "out-of-scope"));
            foreach (var prompt in new[]
            {
                handoff.Consent, handoff.ConsentHint, handoff.Company, handoff.CompanyHint, handoff.OrganisationNumber,
                handoff.OrganisationNumberHint, handoff.ContactPerson, handoff.ContactPersonHint, handoff.Contact, handoff.ContactHint,
                handoff.ConfirmCompany, handoff.ConfirmContact, handoff.ConfirmMunicipality, handoff.Municipality, handoff.MunicipalityHint, handoff.ConfirmLanguage,
                handoff.PreferredLanguage, handoff.PreferredLanguageHint, handoff.Summary, handoff.SummaryHint,
                handoff.NoConsent, handoff.GiveUp, handoff.Confirmation, handoff.NotSaved, handoff.LimitReached,
            })
            {
                _starts.Add((prompt.Split("{0}")[0], "handoff"));
            }

            _starts.Add((bot.StatusNone, "status"));
            _starts.Add((bot.StatusLine.Split("{0}")[0], "status"));
        }

        // The short replies as the conversation writes them (thanks, goodbye, "are you a bot?", emoji).
        foreach (var language in Languages)
        {
            foreach (var kind in new[] { SmalltalkKind.Thanks, SmalltalkKind.Goodbye, SmalltalkKind.AreYouABot })
            {
                _starts.Add((ShortReplies.For(kind, language)!.Text, "smalltalk"));
            }

            _starts.Add((ShortReplies.Emoji(language).Text, "smalltalk"));
        }
    }

    /// <summary>
    /// What the turn's replies show. Of several replies the most telling counts: the handoff, then a clarification, an answer,
    /// out of scope, smalltalk, anything else.
    /// </summary>
    public SeenReply Classify(IReadOnlyList<IActivity> replies)
    {
        ArgumentNullException.ThrowIfNull(replies);
        var seen = replies.SelectMany(Read).ToList();
        if (seen.Count == 0)
        {
            return new SeenReply("none");
        }

        string[] order = ["handoff", "clarify", "answer", "out-of-scope", "smalltalk", "command", "status", "error", "other"];
        return seen.OrderBy(s => Array.IndexOf(order, s.Action) is var i && i < 0 ? order.Length : i).First();
    }

    private IEnumerable<SeenReply> Read(IActivity activity)
    {
        if (activity.AsMessageActivity() is not { } message)
        {
            yield break;
        }

        foreach (var card in CardJson.Of(message))
        {
            if (card.Value<string>("lang") is { } lang && lang != "sv" && lang != "en")
            {
                continue; // AnswerLanguageNotice: a sentence in the company's own language before the answer.
            }

            var blocks = (card["body"] as JArray ?? [])
                .OfType<JObject>()
                .Where(b => b.Value<string>("type") == "TextBlock")
                .Select(b => b.Value<string>("text") ?? "")
                .ToList();
            if (Card(blocks) is { } shown)
            {
                yield return shown;
            }
        }

        if (!string.IsNullOrWhiteSpace(message.Text) && Text(message.Text) is { } said)
        {
            yield return said;
        }
    }

    private SeenReply? Card(List<string> blocks)
    {
        var heading = blocks.Select(b => _headings.GetValueOrDefault(b)).FirstOrDefault(h => h is not null);
        foreach (var block in blocks.TakeWhile(b => !_headings.ContainsKey(b)))
        {
            if (Text(block) is { Action: not "other" } lead)
            {
                // The clarify intro above the closest topic, or a handoff's last words above the answer.
                return lead with { Topic = heading?.Topic, Facet = heading?.Facet, Organisation = heading?.Organisation };
            }
        }

        return heading ?? (blocks.Count > 0 ? new SeenReply("other", Detail: Short(blocks[0])) : null);
    }

    private SeenReply? Text(string text)
    {
        foreach (var (exact, action) in _exact)
        {
            if (text == exact)
            {
                return new SeenReply(action);
            }
        }

        foreach (var (start, action) in _starts)
        {
            if (text.StartsWith(start, StringComparison.Ordinal))
            {
                return new SeenReply(action);
            }
        }

        var didThisHelp = Languages.Select(l => BotTexts.For(l).DidThisHelp).ToArray();
        return didThisHelp.Contains(text) ? null : new SeenReply("other", Detail: Short(text));
    }

    private static string Short(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
