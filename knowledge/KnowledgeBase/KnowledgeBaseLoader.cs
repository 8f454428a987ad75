using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ExportCenter.Knowledge.KnowledgeBase;

/// <summary>
/// Reads and validates the knowledge-base folder (organisations.yaml, intents.yaml, topics/*.yaml). Every
/// problem is collected and reported together, each naming file, entry and field; entries whose review date
/// is older than the review interval are returned as warnings.
/// </summary>
public static partial class KnowledgeBaseLoader
{
    /// <summary>The folder name of the data files next to the binaries and in the repository.</summary>
    public const string DataFolderName = "data";

    /// <summary>The languages besides Swedish and English whose words the topics keep as terms.</summary>
    public static readonly IReadOnlyList<string> TermLanguages = ["fi", "nb", "nn", "da", "de", "nl", "pl", "ar", "es", "fr", "et", "lt", "uk", "so", "ti", "tr"];

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    /// <summary>Loads the knowledge base or throws <see cref="KnowledgeBaseException"/> listing every problem.</summary>
    /// <param name="folder">The folder holding organisations.yaml, intents.yaml and topics/.</param>
    /// <param name="today">Today's date, for the review check.</param>
    /// <param name="reviewInterval">How old a <c>reviewed</c> date may be before the entry is listed as stale.</param>
    public static KnowledgeBaseLoad Load(string folder, DateOnly today, TimeSpan reviewInterval)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Directory.Exists(folder))
        {
            throw new KnowledgeBaseException($"The knowledge base folder '{folder}' does not exist.");
        }

        var problems = new List<KnowledgeBaseProblem>();
        var organisations = LoadOrganisations(folder, problems);
        var orgIds = organisations.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        var topicEntries = LoadTopicEntries(folder, problems);
        var topicIds = topicEntries.Select(t => t.Entry.Id).Where(id => !string.IsNullOrWhiteSpace(id)).ToHashSet(StringComparer.Ordinal)!;
        var topics = topicEntries.Select(t => BuildTopic(t.File, t.Entry, orgIds, topicIds!, problems)).OfType<Topic>().OrderBy(t => t.Id, StringComparer.Ordinal).ToList();
        var intents = LoadIntents(folder, problems);

        if (problems.Count > 0)
        {
            throw new KnowledgeBaseException(problems);
        }

        var oldest = today.AddDays(-(int)reviewInterval.TotalDays);
        var stale = organisations.Where(o => o.Reviewed < oldest).Select(o => $"organisations.yaml: '{o.Id}' (reviewed {o.Reviewed:yyyy-MM-dd})")
            .Concat(topics.Where(t => t.Reviewed < oldest).Select(t => $"topics/{t.Id}.yaml: '{t.Id}' (reviewed {t.Reviewed:yyyy-MM-dd})"))
            .ToList();
        return new KnowledgeBaseLoad(new KnowledgeBase(organisations, topics, intents!) { Revision = RevisionOf(folder) }, stale);
    }

    /// <summary>A hash over the data files' names and bytes, in name order (see <see cref="KnowledgeBase.Revision"/>).</summary>
    private static string RevisionOf(string folder)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var files = Directory.EnumerateFiles(folder, "*.yaml", SearchOption.AllDirectories)
            .Select(f => (Name: Path.GetRelativePath(folder, f).Replace('\\', '/'), Path: f))
            .OrderBy(f => f.Name, StringComparer.Ordinal);
        foreach (var (name, path) in files)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name + "\n"));
            hash.AppendData(File.ReadAllBytes(path));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
    }

    /// <summary>
    /// Finds the data folder: next to the binaries (knowledge/, copied there by the build), else
    /// knowledge/data in the repository above the current directory.
    /// </summary>
    public static string FindDataFolder()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "knowledge");
        if (Directory.Exists(beside))
        {
            return beside;
        }

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "knowledge", DataFolderName);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return beside;
    }

    private static T? Parse<T>(string folder, string path, List<KnowledgeBaseProblem> problems)
        where T : class
    {
        var file = Path.GetRelativePath(folder, path).Replace('\\', '/');
        try
        {
            var parsed = Yaml.Deserialize<T>(File.ReadAllText(path));
            if (parsed is null)
            {
                problems.Add(new(file, "(file)", "(file)", "The file is empty."));
            }

            return parsed;
        }
        catch (YamlException ex)
        {
            var field = UnknownPropertyPattern().Match(ex.Message) is { Success: true } m ? m.Groups[1].Value : "(syntax)";
            problems.Add(new(file, "(file)", field, $"line {ex.Start.Line}, column {ex.Start.Column}: {Innermost(ex).Message}"));
            return null;
        }
    }

    private static Exception Innermost(Exception ex) => ex.InnerException is null ? ex : Innermost(ex.InnerException);

    private static List<Organisation> LoadOrganisations(string folder, List<KnowledgeBaseProblem> problems)
    {
        const string file = "organisations.yaml";
        var path = Path.Combine(folder, file);
        if (!File.Exists(path))
        {
            problems.Add(new(file, "(file)", "(file)", "The file is missing."));
            return [];
        }

        var parsed = Parse<OrganisationsFile>(folder, path, problems);
        if (parsed is null)
        {
            return [];
        }

        if (parsed.Organisations is not { Count: > 0 })
        {
            problems.Add(new(file, "(file)", "organisations", "No organisations are listed."));
            return [];
        }

        var result = new List<Organisation>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < parsed.Organisations.Count; i++)
        {
            var e = parsed.Organisations[i];
            var entry = string.IsNullOrWhiteSpace(e.Id) ? $"#{i + 1}" : e.Id;
            var check = new EntryCheck(file, entry, problems);
            if (!check.Id(e.Id, "id") || !seen.Add(e.Id!))
            {
                if (e.Id is not null && seen.Contains(e.Id))
                {
                    check.Fail("id", $"The id '{e.Id}' is used twice.");
                }

                continue;
            }

            var kind = e.Kind switch
            {
                "member" => OrganisationKind.Member,
                "referral" => OrganisationKind.Referral,
                _ => (OrganisationKind?)null,
            };
            if (kind is null)
            {
                check.Fail("kind", "Must be 'member' or 'referral'.");
            }

            var name = check.Text(e.Name, "name");
            var summary = check.Text(e.Summary, "summary");
            var services = check.Texts(e.Services, "services");
            var web = check.Url(e.Web, "web");
            var office = e.Office is null ? null : check.Text(e.Office, "office");
            var contacts = new List<RoleContact>();
            if (e.Contacts is not { Count: > 0 })
            {
                check.Fail("contacts", "At least one role-based contact is required.");
            }
            else
            {
                for (var c = 0; c < e.Contacts.Count; c++)
                {
                    var role = check.Text(e.Contacts[c].Role, $"contacts[{c}].role");
                    var how = check.Text(e.Contacts[c].How, $"contacts[{c}].how");
                    if (role is not null && how is not null)
                    {
                        contacts.Add(new RoleContact(role, how));
                    }
                }
            }

            var sources = (e.Sources ?? []).Select((s, k) => check.Url(s, $"sources[{k}]")).OfType<Uri>().ToList();
            if (sources.Count == 0)
            {
                check.Fail("sources", "At least one source link is required.");
            }

            var reviewed = check.Date(e.Reviewed, "reviewed");
            if (check.Ok && kind is not null && name is not null && summary is not null && web is not null && reviewed is not null)
            {
                result.Add(new Organisation(e.Id!, kind.Value, name, summary, services, web, e.Phone, e.Email, office, contacts, sources, reviewed.Value)
                {
                    Aliases = check.Words(e.Aliases, "aliases"),
                });
            }
        }

        return result;
    }

    private static List<(string File, TopicEntry Entry)> LoadTopicEntries(string folder, List<KnowledgeBaseProblem> problems)
    {
        var topicsFolder = Path.Combine(folder, "topics");
        if (!Directory.Exists(topicsFolder))
        {
            problems.Add(new("topics/", "(folder)", "(folder)", "The topics folder is missing."));
            return [];
        }

        var entries = new List<(string, TopicEntry)>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(topicsFolder, "*.yaml").Order(StringComparer.Ordinal))
        {
            var file = "topics/" + Path.GetFileName(path);
            var entry = Parse<TopicEntry>(folder, path, problems);
            if (entry is null)
            {
                continue;
            }

            var expectedId = Path.GetFileNameWithoutExtension(path);
            if (!string.IsNullOrWhiteSpace(entry.Id))
            {
                if (entry.Id != expectedId)
                {
                    problems.Add(new(file, entry.Id, "id", $"The id must match the file name ('{expectedId}')."));
                }

                if (seen.TryGetValue(entry.Id, out var other))
                {
                    problems.Add(new(file, entry.Id, "id", $"The id '{entry.Id}' is also used in {other}."));
                    continue;
                }

                seen[entry.Id] = file;
            }

            entries.Add((file, entry));
        }

        if (entries.Count == 0 && problems.Count == 0)
        {
            problems.Add(new("topics/", "(folder)", "(folder)", "No topic files were found."));
        }

        return entries;
    }

    private static IntentExamples? LoadIntents(string folder, List<KnowledgeBaseProblem> problems)
    {
        const string file = "intents.yaml";
        var path = Path.Combine(folder, file);
        if (!File.Exists(path))
        {
            problems.Add(new(file, "(file)", "(file)", "The file is missing."));
            return null;
        }

        var parsed = Parse<IntentsFile>(folder, path, problems);
        if (parsed is null)
        {
            return null;
        }

        var smalltalk = new EntryCheck(file, "smalltalk", problems);
        var handoff = new EntryCheck(file, "handoff", problems);
        var outOfScope = new EntryCheck(file, "out_of_scope", problems);
        return new IntentExamples(
            smalltalk.Examples(parsed.Smalltalk?.Sv, "sv"),
            smalltalk.Examples(parsed.Smalltalk?.En, "en"),
            handoff.Examples(parsed.Handoff?.Sv, "sv"),
            handoff.Examples(parsed.Handoff?.En, "en"),
            outOfScope.Examples(parsed.OutOfScope?.Sv, "sv"),
            outOfScope.Examples(parsed.OutOfScope?.En, "en"))
        {
            SmalltalkOther = smalltalk.Words(parsed.Smalltalk?.Other, "other"),
            HandoffOther = handoff.Words(parsed.Handoff?.Other, "other"),
            OutOfScopeOther = outOfScope.Words(parsed.OutOfScope?.Other, "other"),
        };
    }

    [GeneratedRegex(@"Property '([^']+)' not found", RegexOptions.CultureInvariant)]
    private static partial Regex UnknownPropertyPattern();
}

/// <summary>A loaded knowledge base and the entries whose review is overdue.</summary>
public sealed record KnowledgeBaseLoad(KnowledgeBase KnowledgeBase, IReadOnlyList<string> StaleEntries);
