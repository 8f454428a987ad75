using System.Diagnostics;
using System.Globalization;
using System.Text;
using ExportCenter.Bot.Insight;
using ExportCenter.Bot.Knowledge;
using ExportCenter.Bot.Tickets;
using ExportCenter.Knowledge.Evaluation;
using ExportCenter.Knowledge.KnowledgeBase;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Commands;

/// <summary>
/// <c>kb report [--out DIR] [--days N] [--folds K]</c>: writes, for the knowledge-base editors, <c>report.md</c> and one CSV per part:
/// entries past or near their review date per owner organisation (<c>review.csv</c>), texts whose Swedish version changed
/// after the English one, from the files' git history (<c>parity.csv</c>), readability per text (<c>readability.csv</c>),
/// the example phrasings cross-validation puts under another topic (<c>confusions.csv</c>), and the unanswered questions
/// of the last N days (default 90) from insight, grouped (<c>unanswered.csv</c>). It reads the bot's database, so it runs
/// on the built host like <see cref="PrivacyCommand"/>.
/// </summary>
public static class KbReportCommand
{
    /// <summary>Entries whose review falls due within this many days count as near it.</summary>
    public const int NearDays = 60;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static bool IsCommand(string[] args) => args is ["kb", "report", ..];

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var folder = BotCommands.Option(args, "--out") ?? "kb-report";
        var days = 90;
        var folds = 5;
        if (BotCommands.Option(args, "--folds") is { } f && (!int.TryParse(f, Invariant, out folds) || folds is < 2 or > 20))
        {
            await error.WriteLineAsync("--folds must be a whole number from 2 to 20.");
            return 2;
        }

        if (BotCommands.Option(args, "--days") is { } d && (!int.TryParse(d, Invariant, out days) || days is < 1 or > InsightPeriod.MaxDays))
        {
            await error.WriteLineAsync($"--days must be a whole number from 1 to {InsightPeriod.MaxDays}.");
            return 2;
        }

        var knowledge = services.GetRequiredService<KnowledgeBase>();
        var options = services.GetRequiredService<IOptions<KnowledgeOptions>>().Value;
        var deadlines = services.GetRequiredService<TicketDeadlinePolicy>();
        var today = DateOnly.FromDateTime(deadlines.ToLocal(services.GetRequiredService<TimeProvider>().GetUtcNow()).DateTime);
        var dataFolder = KnowledgeBaseExtensions.ResolveFolder(options);

        var review = Review(knowledge, today, options.ReviewInterval);
        var (parity, noHistory) = Parity(dataFolder);
        var readability = ReadabilityReport.For(knowledge);
        var confusions = CrossValidation.Confusions(knowledge, folds);
        var period = new InsightPeriod(today.AddDays(-(days - 1)), today);
        var unanswered = await services.GetRequiredService<InsightQueries>().UnansweredAsync(period, CancellationToken.None);

        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "review.csv"), Csv.Write(["owner", "entry", "reviewed", "due", "state"],
            review.Select(r => (IReadOnlyList<object?>)[r.Owner, r.Entry, r.Reviewed, r.Due, r.Past ? "past" : "near"])), Encoding.UTF8);
        await File.WriteAllTextAsync(Path.Combine(folder, "parity.csv"), Csv.Write(["file", "field", "swedish_changed", "english_changed", "newer"],
            parity.Select(p => (IReadOnlyList<object?>)[p.File, p.Line.Field, p.Line.SwedishChanged.ToString("yyyy-MM-dd HH:mm", Invariant), p.Line.EnglishChanged.ToString("yyyy-MM-dd HH:mm", Invariant), p.Line.SwedishIsNewer ? "sv" : "en"])), Encoding.UTF8);
        await File.WriteAllTextAsync(Path.Combine(folder, "readability.csv"), Csv.Write(["topic", "field", "language", "words", "lix", "flesch", "problem"],
            readability.Select(r => (IReadOnlyList<object?>)[r.TopicId, r.Field, r.Language, r.Score.Words, r.Language == "sv" ? Math.Round(r.Score.Lix, 1) : null, r.Language == "en" ? Math.Round(r.Score.Flesch, 1) : null, r.Problem])), Encoding.UTF8);
        await File.WriteAllTextAsync(Path.Combine(folder, "confusions.csv"), Csv.Write(["topic", "example", "classified_as", "probability"],
            confusions.Select(c => (IReadOnlyList<object?>)[c.Topic, c.Text, c.ConfusedWith, Math.Round(c.Score, 3)])), Encoding.UTF8);
        await File.WriteAllTextAsync(Path.Combine(folder, "unanswered.csv"), Csv.Write(["group", "count", "representative", "topic_id", "reason", "language", "question"],
            unanswered.SelectMany(g => g.Questions.Select(q => (IReadOnlyList<object?>)[g.Group, g.Count, g.Representative, g.TopicId, q.Reason, q.Language, q.Text]))), Encoding.UTF8);

        var md = new StringBuilder();
        md.AppendLine(Invariant, $"# Kunskapsbanken: rapport {today:yyyy-MM-dd}").AppendLine();
        md.AppendLine(Invariant, $"Kunskapsbankens version {knowledge.Revision}: {knowledge.Topics.Count} ämnen och {knowledge.Organisations.Count} organisationer. Varje del finns också som CSV i samma mapp.").AppendLine();
        md.AppendLine("## Granskning").AppendLine();
        md.AppendLine(Invariant, $"Poster vars granskning har gått ut eller går ut inom {NearDays} dagar (granskas var {(int)options.ReviewInterval.TotalDays}:e dag), per ansvarig organisation.").AppendLine();
        if (review.Count == 0)
        {
            md.AppendLine("Alla poster är granskade i tid.").AppendLine();
        }

        foreach (var owner in review.GroupBy(r => r.Owner))
        {
            md.AppendLine(Invariant, $"### {OrganisationName(knowledge, owner.Key)}").AppendLine();
            md.AppendLine("| Post | Granskad | Ska granskas | Läge |").AppendLine("|---|---|---|---|");
            foreach (var r in owner)
            {
                md.AppendLine(Invariant, $"| {Cell(r.Entry)} | {r.Reviewed:yyyy-MM-dd} | {r.Due:yyyy-MM-dd} | {(r.Past ? "försenad" : "snart")} |");
            }

            md.AppendLine();
        }

        md.AppendLine("## Översättningar").AppendLine();
        var swedishNewer = parity.Where(p => p.Line.SwedishIsNewer).ToList();
        md.AppendLine(noHistory is null
            ? $"Texter där den svenska versionen har ändrats efter den engelska, enligt git: {swedishNewer.Count}. Kontrollera att den engelska texten säger samma sak."
            : $"Ingen historik: {noHistory}").AppendLine();
        if (swedishNewer.Count > 0)
        {
            md.AppendLine("| Fil | Fält | Svenska ändrad | Engelska ändrad |").AppendLine("|---|---|---|---|");
            foreach (var p in swedishNewer)
            {
                md.AppendLine(Invariant, $"| {Cell(p.File)} | {Cell(p.Line.Field)} | {p.Line.SwedishChanged:yyyy-MM-dd} | {p.Line.EnglishChanged:yyyy-MM-dd} |");
            }

            md.AppendLine();
        }

        md.AppendLine("## Läsbarhet").AppendLine();
        var hard = readability.Where(r => r.Problem is not null).ToList();
        md.AppendLine(Invariant, $"{readability.Count} texter som visas först; {hard.Count} över gränserna (högst {Readability.MaxWords} ord, LIX högst {Readability.MaxLix}, Flesch minst {Readability.MinFlesch}). Alla texter finns i readability.csv.").AppendLine();
        if (hard.Count > 0)
        {
            md.AppendLine("| Ämne | Fält | Språk | Problem |").AppendLine("|---|---|---|---|");
            foreach (var r in hard)
            {
                md.AppendLine(Invariant, $"| {Cell(r.TopicId)} | {Cell(r.Field)} | {r.Language} | {Cell(r.Problem!)} |");
            }

            md.AppendLine();
        }

        md.AppendLine("## Exempelfraser som förväxlas").AppendLine();
        var sure = confusions.Where(c => c.Score >= 0.5f).ToList();
        md.AppendLine(Invariant, $"Exempelfraser som korsvalideringen ({folds} delar) lägger under ett annat ämne: {confusions.Count}, alla i confusions.csv. Här visas de {sure.Count} där chatten var minst 50 % säker på fel ämne. Skriv om dem, eller flytta dem till det ämne de hör till.").AppendLine();
        if (sure.Count > 0)
        {
            md.AppendLine("| Ämne | Exempel | Tolkas som | Sannolikhet |").AppendLine("|---|---|---|---|");
            foreach (var c in sure)
            {
                md.AppendLine(Invariant, $"| {Cell(c.Topic)} | {Cell(c.Text)} | {Cell(c.ConfusedWith)} | {c.Score:0.00} |");
            }

            md.AppendLine();
        }

        md.AppendLine("## Frågor chatten inte kunde svara på").AppendLine();
        md.AppendLine(Invariant, $"Från insikten, {period.From:yyyy-MM-dd} till {period.To:yyyy-MM-dd}, grupperade efter likhet. Personuppgifter är borttagna. {unanswered.Sum(g => g.Count)} frågor i {unanswered.Count} grupper.").AppendLine();
        if (unanswered.Count > 0)
        {
            md.AppendLine("| Grupp | Antal | Fråga | Närmaste ämne |").AppendLine("|---|---|---|---|");
            foreach (var g in unanswered)
            {
                md.AppendLine(Invariant, $"| {g.Group} | {g.Count} | {Cell(g.Representative)} | {Cell(g.TopicId ?? "–")} |");
            }

            md.AppendLine();
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "report.md"), md.ToString(), new UTF8Encoding(false));
        await output.WriteLineAsync(string.Create(Invariant, $"Wrote {Path.Combine(folder, "report.md")} and 5 CSV files: {review.Count} entries to review, {swedishNewer.Count} Swedish texts newer than their English, {hard.Count} hard to read, {confusions.Count} confused phrasings, {unanswered.Count} groups of unanswered questions."));
        return 0;
    }

    private sealed record ReviewLine(string Owner, string Entry, DateOnly Reviewed, DateOnly Due, bool Past);

    private static List<ReviewLine> Review(KnowledgeBase knowledge, DateOnly today, TimeSpan interval)
    {
        var days = (int)interval.TotalDays;
        var entries = knowledge.Organisations.Select(o => (Owner: o.Id, Entry: $"organisations.yaml: {o.Id}", o.Reviewed))
            .Concat(knowledge.Topics.Select(t => (Owner: t.OwnerId, Entry: $"topics/{t.Id}.yaml", t.Reviewed)));
        return [.. entries
            .Select(e => new ReviewLine(e.Owner, e.Entry, e.Reviewed, e.Reviewed.AddDays(days), e.Reviewed.AddDays(days) < today))
            .Where(r => r.Due <= today.AddDays(NearDays))
            .OrderBy(r => r.Owner, StringComparer.Ordinal).ThenBy(r => r.Due).ThenBy(r => r.Entry, StringComparer.Ordinal)];
    }

    /// <summary>The fields of every data file whose sv and en texts changed at different times, from <c>git blame</c>; or why there is no history.</summary>
    private static (List<(string File, ParityLine Line)> Lines, string? NoHistory) Parity(string dataFolder)
    {
        var lines = new List<(string, ParityLine)>();
        foreach (var file in Directory.EnumerateFiles(dataFolder, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(dataFolder, file).Replace('\\', '/');
            var (blame, problem) = Blame(dataFolder, relative);
            if (blame is null)
            {
                return ([], problem);
            }

            lines.AddRange(TranslationParity.Read(blame).Select(l => (relative, l)));
        }

        return (lines, null);
    }

    private static (List<(string Text, DateTimeOffset Changed)>? Lines, string? Problem) Blame(string folder, string file)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "blame", "--line-porcelain", "--", file })
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var git = Process.Start(start)!;
            var stdout = git.StandardOutput.ReadToEnd();
            var stderr = git.StandardError.ReadToEnd();
            git.WaitForExit();
            if (git.ExitCode != 0)
            {
                return (null, $"git blame failed for {file}: {stderr.Trim()}");
            }

            var result = new List<(string, DateTimeOffset)>();
            var time = DateTimeOffset.MinValue;
            foreach (var line in stdout.Split('\n'))
            {
                if (line.StartsWith("committer-time ", StringComparison.Ordinal))
                {
                    time = DateTimeOffset.FromUnixTimeSeconds(long.Parse(line["committer-time ".Length..], Invariant));
                }
                else if (line.StartsWith('\t'))
                {
                    result.Add((line[1..], time));
                }
            }

            return (result, null);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (null, "git is not installed");
        }
    }

    private static string OrganisationName(KnowledgeBase knowledge, string id) =>
        knowledge.OrganisationsById.TryGetValue(id, out var o) ? $"{o.Name.Sv} ({id})" : id;

    /// <summary>A Markdown table cell: pipes and line breaks would break the table.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');

}
