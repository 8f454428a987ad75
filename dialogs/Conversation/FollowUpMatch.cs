using ExportCenter.Knowledge.Entities;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Language;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>A follow-up option the company's own facts answer, and why.</summary>
internal sealed record MatchedOption(FollowUp FollowUp, FollowUpOption Option, string Reason);

/// <summary>
/// Picks the option of a topic's follow-up question that what the company already said answers: the
/// destination's group (EU, EEA, other), a consumer or business buyer, a young or established company. The
/// knowledge base names options by what they are about (eu, non-eu, eu-eea, norway, consumer, b2b-eu,
/// young, …), and these names are what is matched.
/// </summary>
internal static class FollowUpMatch
{
    /// <summary>High-income countries EKN's short-term cover treats as the EU does (the option "high-income").</summary>
    private static readonly HashSet<string> HighIncome = new(StringComparer.Ordinal) { "NO", "IS", "CH", "US", "CA", "JP", "AU", "NZ" };

    public static MatchedOption? Find(Topic topic, ConversationFacts facts, ConversationLanguage language)
    {
        foreach (var followUp in topic.FollowUps)
        {
            foreach (var (optionId, reason) in Candidates(facts, language))
            {
                if (followUp.Options.FirstOrDefault(o => o.Id == optionId) is { } option)
                {
                    return new MatchedOption(followUp, option, reason);
                }
            }
        }

        return null;
    }

    /// <summary>The option names the facts point to, most specific first, each with the reason to show.</summary>
    private static IEnumerable<(string OptionId, string Reason)> Candidates(ConversationFacts facts, ConversationLanguage language)
    {
        if (facts.Buyer == FactReader.Consumer)
        {
            var consumer = ContextTexts.ConsumerReason(language);
            if (facts.CountryGroup == CountryRecognizer.Eu)
            {
                yield return ("b2c-eu", consumer);
            }

            yield return ("consumer", consumer);
        }

        if (facts.Country is { } country && facts.CountryGroup is { } group)
        {
            var reason = ContextTexts.CountryReason(country, group, language);
            switch (group)
            {
                case CountryRecognizer.Eu:
                    if (facts.Buyer != FactReader.Consumer)
                    {
                        yield return ("eu-business", reason);
                        yield return ("b2b-eu", reason);
                    }

                    yield return ("eu", reason);
                    yield return ("eu-eea", reason);
                    yield return ("europe", reason);
                    yield return ("high-income", reason);
                    break;
                case CountryRecognizer.Eea:
                    if (country == "NO")
                    {
                        yield return ("norway", reason);
                    }

                    yield return ("eu-eea", reason);
                    yield return ("non-eu", reason);
                    yield return ("europe", reason);
                    yield return ("high-income", reason);
                    break;
                default:
                    yield return ("non-eu", reason);
                    yield return ("other", reason);
                    yield return (HighIncome.Contains(country) ? "high-income" : "other-country", reason);
                    break;
            }
        }

        if (facts.CompanyStage == FactReader.Young)
        {
            yield return ("young", ContextTexts.YoungReason(language));
        }
        else if (facts.CompanyStage == FactReader.Established)
        {
            yield return ("established", ContextTexts.EstablishedReason(language));
        }
    }
}
