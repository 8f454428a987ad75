namespace ExportCenter.Knowledge.KnowledgeBase;

/// <summary>Building and checking one topic file (the largest part of loading the knowledge base).</summary>
public static partial class KnowledgeBaseLoader
{
    private static Topic? BuildTopic(string file, TopicEntry e, HashSet<string> orgIds, HashSet<string> topicIds, List<KnowledgeBaseProblem> problems)
    {
        var check = new EntryCheck(file, string.IsNullOrWhiteSpace(e.Id) ? Path.GetFileNameWithoutExtension(file) : e.Id, problems);
        check.Id(e.Id, "id");
        if (string.IsNullOrWhiteSpace(e.Owner) || !orgIds.Contains(e.Owner))
        {
            check.Fail("owner", $"'{e.Owner}' is not an organisation id in organisations.yaml.");
        }

        var reviewed = check.Date(e.Reviewed, "reviewed");
        var title = check.Text(e.Title, "title");
        var answer = check.Text(e.Answer, "answer");
        var route = e.Route ?? [];
        if (route.Count == 0)
        {
            check.Fail("route", "The route needs at least one organisation.");
        }

        for (var i = 0; i < route.Count; i++)
        {
            if (!orgIds.Contains(route[i]))
            {
                check.Fail($"route[{i}]", $"'{route[i]}' is not an organisation id in organisations.yaml.");
            }
        }

        if (route.Distinct(StringComparer.Ordinal).Count() != route.Count)
        {
            check.Fail("route", "An organisation is listed twice.");
        }

        var links = new List<TopicLink>();
        for (var i = 0; i < (e.Links?.Count ?? 0); i++)
        {
            var l = e.Links![i];
            if (string.IsNullOrWhiteSpace(l.Organisation) || !orgIds.Contains(l.Organisation))
            {
                check.Fail($"links[{i}].organisation", $"'{l.Organisation}' is not an organisation id in organisations.yaml.");
            }

            var url = check.Url(l.Url, $"links[{i}].url");
            var linkTitle = check.Text(l.Title, $"links[{i}].title");
            if (url is not null && linkTitle is not null && l.Organisation is not null)
            {
                links.Add(new TopicLink(l.Organisation, url, linkTitle));
            }
        }

        var followUps = new List<FollowUp>();
        for (var i = 0; i < (e.FollowUps?.Count ?? 0); i++)
        {
            var f = e.FollowUps![i];
            check.Id(f.Id, $"follow_ups[{i}].id");
            var question = check.Text(f.Question, $"follow_ups[{i}].question");
            var options = new List<FollowUpOption>();
            if (f.Options is not { Count: >= 2 })
            {
                check.Fail($"follow_ups[{i}].options", "A follow-up needs at least two options.");
            }

            for (var k = 0; k < (f.Options?.Count ?? 0); k++)
            {
                var o = f.Options![k];
                check.Id(o.Id, $"follow_ups[{i}].options[{k}].id");
                var label = check.Text(o.Label, $"follow_ups[{i}].options[{k}].label");
                var optionAnswer = check.Text(o.Answer, $"follow_ups[{i}].options[{k}].answer");
                if (o.Id is not null && label is not null && optionAnswer is not null)
                {
                    options.Add(new FollowUpOption(o.Id, label, optionAnswer));
                }
            }

            if (f.Id is not null && question is not null)
            {
                followUps.Add(new FollowUp(f.Id, question, options));
            }
        }

        var related = e.Related ?? [];
        for (var i = 0; i < related.Count; i++)
        {
            if (!topicIds.Contains(related[i]) || related[i] == e.Id)
            {
                check.Fail($"related[{i}]", $"'{related[i]}' is not another topic id (dead reference).");
            }
        }

        var sv = check.Examples(e.Examples?.Sv, "examples.sv");
        var en = check.Examples(e.Examples?.En, "examples.en");
        var details = e.Details is null ? null : check.Text(e.Details, "details");
        var facets = new Dictionary<Facet, LocalizedText>();
        foreach (var (key, text) in e.Facets ?? [])
        {
            if (Facets.FromId(key) is not { } facet)
            {
                check.Fail($"facets.{key}", $"'{key}' is not a facet ({string.Join(", ", Facets.All.Select(f => f.Id()))}).");
            }
            else if (check.Text(text, $"facets.{key}") is { } facetText)
            {
                facets[facet] = facetText;
            }
        }

        var sources = (e.Sources ?? []).Select((u, k) => check.Url(u, $"sources[{k}]")).OfType<Uri>().ToList();
        var terms = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (language, words) in e.Terms ?? [])
        {
            if (!TermLanguages.Contains(language))
            {
                check.Fail($"terms.{language}", $"'{language}' is not a language the terms are kept for ({string.Join(", ", TermLanguages)}).");
            }
            else
            {
                terms[language] = check.Words(words, $"terms.{language}");
            }
        }

        return check.Ok && reviewed is not null && title is not null && answer is not null
            ? new Topic(e.Id!, e.Owner!, reviewed.Value, title, answer, route, links, followUps, related, sv, en)
            {
                Details = details,
                Facets = facets,
                Sources = sources,
                Terms = terms,
            }
            : null;
    }
}
