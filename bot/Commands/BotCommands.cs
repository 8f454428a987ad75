using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Knowledge;
using ExportCenter.Knowledge.Evaluation;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Understanding;

namespace ExportCenter.Bot.Commands;

/// <summary>
/// The bot's command-line tools: <c>eval FILE.jsonl [--report DIR]</c>, <c>crossval [K]</c>, <c>kb validate</c>,
/// <c>kb model</c> and <c>teams package</c> (<see cref="TeamsPackageCommand"/>).
/// Results go to standard output, everything else (warnings, summaries) to standard error.
/// A first argument that is no option is a verb: a verb the bot does not know gets the usage and exit code 2,
/// never the web host, so a mistyped command cannot start a second bot on a production database.
/// </summary>
public static class BotCommands
{
    private static readonly string[] Verbs = ["eval", "crossval", "kb", "teams"];

    /// <summary>
    /// Whether the arguments are a command this class runs: any verb except <c>advisors signin-link LOGIN</c> and <c>advisors deactivate LOGIN</c>,
    /// which needs the built host (<see cref="AdvisorSignInLinkCommand"/>). Options alone (<c>--urls URL</c>,
    /// <c>--Section:Key=value</c>, <c>/Key value</c>, <c>Key=value</c>) start the host.
    /// </summary>
    public static bool IsCommand(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Length > 0 && !IsHostOption(args[0]) && !AdvisorSignInLinkCommand.IsCommand(args) && !PrivacyCommand.IsCommand(args) && !KbReportCommand.IsCommand(args);
    }

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Length == 0 || !Verbs.Contains(args[0], StringComparer.Ordinal))
        {
            return Usage(error);
        }

        if (args[0] == "teams")
        {
            // Needs configuration only, not the knowledge base.
            return args.Length > 1 && args[1] == "package" ? TeamsPackageCommand.Run(args, output, error) : Usage(error);
        }

        var folder = Option(args, "--knowledge") ?? KnowledgeBaseLoader.FindDataFolder();
        try
        {
            return args[0] switch
            {
                "kb" when args.Length > 1 && args[1] == "validate" => Validate(folder, output, error),
                "kb" when args.Length > 1 && args[1] == "readability" => ReadabilityTable(folder, output, error),
                "kb" when args.Length > 1 && args[1] == "model" => WriteModel(folder, Option(args, "--out") ?? UnderstandingModelSource.BuiltModel, output),
                "kb" when args.Length > 2 && args[1] == "languages" => LanguageTable(args[2..].Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList(), output, args.Contains("--misses") ? error : null),
                "eval" when args.Length > 1 && (!args.Contains("--report") || Option(args, "--report") is not null) => Evaluate(folder, args[1], Option(args, "--report"), output, error),
                "crossval" => CrossValidate(folder, args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out var k) ? k : 5, args, output, error),
                _ => Usage(error),
            };
        }
        catch (KnowledgeBaseException ex)
        {
            error.WriteLine(ex.Message);
            return 1;
        }
    }

    private static int Usage(TextWriter error)
    {
        error.WriteLine("usage: ExportCenter.Bot kb validate | kb readability | kb languages FILE.jsonl... | kb model [--out FILE] | eval FILE.jsonl [--report DIR] | crossval [K] [--sweep [--on FILE.jsonl...]]   [--knowledge FOLDER]");
        error.WriteLine("       ExportCenter.Bot teams package [--out FILE.zip] [--MicrosoftAppId ID] [--base-url https://bot.example.se]");
        error.WriteLine("       ExportCenter.Bot advisors signin-link LOGIN | advisors signin-link --teams OBJECT-ID | advisors deactivate LOGIN");
        error.WriteLine("       ExportCenter.Bot kb report [--out DIR] [--days N] [--folds K]   (reads the bot's database: runs with the bot's settings)");
        error.WriteLine("       ExportCenter.Bot privacy export|erase --email ADDRESS | --orgnr NNNNNN-NNNN | --conversation CHANNEL:ID");
        error.WriteLine("       ExportCenter.Bot [--urls URL] [--Section:Key=value ...]   (no command: runs the bot)");
        return 2;
    }

    /// <summary>An argument the host's configuration reads (<c>--key</c>, <c>-key</c>, <c>/key</c>, <c>key=value</c>), not a verb.</summary>
    private static bool IsHostOption(string arg) => arg.StartsWith('-') || arg.StartsWith('/') || arg.Contains('=', StringComparison.Ordinal);

    private static KnowledgeBase Load(string folder, TextWriter error)
    {
        var load = KnowledgeBaseLoader.Load(folder, DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime), new KnowledgeOptions().ReviewInterval);
        foreach (var stale in load.StaleEntries)
        {
            error.WriteLine($"warning: past its review date: {stale}");
        }

        return load.KnowledgeBase;
    }

    private static int Validate(string folder, TextWriter output, TextWriter error)
    {
        var kb = Load(folder, error);
        var examples = kb.Topics.Sum(t => t.ExamplesSv.Count + t.ExamplesEn.Count);
        var readability = ReadabilityReport.For(kb);
        foreach (var line in readability)
        {
            var score = line.Language == "sv" ? $"LIX {line.Score.Lix.ToString("0.0", CultureInfo.InvariantCulture)}" : $"Flesch {line.Score.Flesch.ToString("0.0", CultureInfo.InvariantCulture)}";
            output.WriteLine($"  topics/{line.TopicId}.yaml: {line.Field}: {line.Score.Words} words, {score}{(line.Problem is null ? string.Empty : " -- over the limit: " + line.Problem)}");
        }

        var over = readability.Where(l => l.Problem is not null).ToList();
        if (over.Count > 0)
        {
            error.WriteLine($"{over.Count} first-shown texts are over the plain-language limits (at most {Readability.MaxWords} words, LIX at most {Readability.MaxLix}, Flesch at least {Readability.MinFlesch}):");
            foreach (var line in over)
            {
                error.WriteLine($"  topics/{line.TopicId}.yaml: '{line.TopicId}', field {line.Field}: {line.Problem}");
            }

            return 1;
        }

        output.WriteLine($"OK: {folder}: {kb.Organisations.Count} organisations, {kb.Topics.Count} topics, {examples} topic examples, {readability.Count} first-shown texts within the plain-language limits.");
        return 0;
    }

    /// <summary>
    /// Trains the understanding model and writes it to <paramref name="file"/> (by default next to the binaries, where
    /// the build puts it and the bot reads it first), unless the file already holds the model of this knowledge base.
    /// </summary>
    private static int WriteModel(string folder, string file, TextWriter output)
    {
        // Entries past their review are the business of `kb validate` and of the start-up log, not of the build.
        var kb = KnowledgeBaseLoader.Load(folder, DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime), new KnowledgeOptions().ReviewInterval).KnowledgeBase;
        if (UnderstandingModelFile.Read(file, UnderstandingModel.KeyFor(kb)).Status == ModelFileStatus.Read)
        {
            output.WriteLine($"{file} already holds the model of {folder}.");
            return 0;
        }

        var watch = Stopwatch.StartNew();
        UnderstandingModelFile.Write(UnderstandingModel.Train(kb), file);
        output.WriteLine($"Trained the understanding model of {folder} in {watch.ElapsedMilliseconds} ms: {file}");
        return 0;
    }

    /// <summary>
    /// Words, LIX (Swedish) and Flesch reading ease (English) of every first-shown text; exits 1 when one is
    /// over the limits (at most 70 words; LIX at most 40; Flesch at least 50).
    /// </summary>
    private static int ReadabilityTable(string folder, TextWriter output, TextWriter error)
    {
        var lines = ReadabilityReport.For(Load(folder, error));
        output.WriteLine("topic\tfield\twords\tLIX\tFlesch\tproblem");
        foreach (var line in lines)
        {
            var score = line.Score;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{line.TopicId}\t{line.Field}\t{score.Words}\t{(line.Language == "sv" ? score.Lix.ToString("0.0", CultureInfo.InvariantCulture) : "-")}\t{(line.Language == "en" ? score.Flesch.ToString("0.0", CultureInfo.InvariantCulture) : "-")}\t{line.Problem ?? "ok"}"));
        }

        var over = lines.Count(l => l.Problem is not null);
        error.WriteLine(over == 0 ? $"All {lines.Count} first-shown texts are within the limits." : $"{over} of {lines.Count} first-shown texts are over the limits.");
        return over == 0 ? 0 : 1;
    }

    /// <summary>
    /// The language detector's memory and, per language, how often it tells the "lang" of labelled lines right (nn
    /// counts as right when told as nb, and the other way round). The memory is what the detector adds to a process
    /// that has first read the labelled lines and done the bot's own start-up work (the knowledge base loaded and a
    /// classifier trained on it), which also pays the runtime's one-off costs such as its compiler's. Before: after a
    /// full compacting collection. After: once the detector is built and has told a German sentence (so through its
    /// models), with no collection of the measurement's own first, so whatever the building leaves committed counts, as
    /// it does in the running bot (the managed figure is the live heap after a full collection).
    /// </summary>
    private static int LanguageTable(IReadOnlyList<string> files, TextWriter output, TextWriter? misses)
    {
        static (long Managed, long Resident) Memory(bool compactFirst)
        {
            if (compactFirst)
            {
                GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
            }

            using var process = Process.GetCurrentProcess();
            var resident = process.WorkingSet64;
            return (GC.GetTotalMemory(forceFullCollection: true), resident);
        }

        var labelled = files.SelectMany(File.ReadLines).Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => JsonNode.Parse(l)!)
            .Select(json => (Expected: json["lang"]?.GetValue<string>(), Text: json["text"]?.GetValue<string>()))
            .Where(l => l.Expected is not null && l.Text is not null).ToList();
        var kb = Load(KnowledgeBaseLoader.FindDataFolder(), TextWriter.Null);
        var labels = TrainingSet.Labels(kb);
        _ = SoftmaxClassifier.Train([.. TrainingSet.Examples(kb).Select(e => (FeatureExtractor.Extract(e.Text), labels.IndexOf(e.Label)))], labels);
        var before = Memory(compactFirst: true);
        var detector = new ExportCenter.Knowledge.Language.RegionLanguageDetector();
        detector.Detect("Wie können wir unsere Maschinen nach Norwegen exportieren?");
        var after = Memory(compactFirst: false);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"detector memory: managed +{(after.Managed - before.Managed) / 1e6:0.0} MB, resident +{(after.Resident - before.Resident) / 1e6:0.0} MB"));
        var rows = new SortedDictionary<string, (int Right, int All)>(StringComparer.Ordinal);
        foreach (var (expected, text) in labelled)
        {
            var told = detector.Detect(text!).Code;
            var right = told == expected || (expected, told) is ("nn", "nb") or ("nb", "nn");
            if (!right)
            {
                misses?.WriteLine($"{expected} -> {told}: {text}");
            }

            var row = rows.GetValueOrDefault(expected!);
            rows[expected!] = (row.Right + (right ? 1 : 0), row.All + 1);
        }

        output.WriteLine("lang\tright\tall\taccuracy");
        foreach (var (lang, (right, all)) in rows)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{lang}\t{right}\t{all}\t{(double)right / all:0.00}"));
        }

        var total = rows.Values.Aggregate((Right: 0, All: 0), (a, r) => (a.Right + r.Right, a.All + r.All));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"all\t{total.Right}\t{total.All}\t{(total.All == 0 ? 0 : (double)total.Right / total.All):0.00}"));
        return 0;
    }

    private static int Evaluate(string folder, string file, string? reportFolder, TextWriter output, TextWriter error)
    {
        var kb = Load(folder, error);
        var watch = Stopwatch.StartNew();
        var pipeline = MessageUnderstanding.Train(kb);
        var trained = watch.Elapsed;
        var judged = new List<JudgedLine>();
        var lineNumber = 0;
        watch.Restart();
        foreach (var line in File.ReadLines(file))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonObject row;
            try
            {
                row = JsonNode.Parse(line)?.AsObject() ?? throw new JsonException("empty");
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                error.WriteLine($"{file}:{lineNumber}: not a JSON object, skipped ({ex.Message})");
                continue;
            }

            var id = row["id"]?.ToString() ?? lineNumber.ToString(CultureInfo.InvariantCulture);
            var text = row["text"]?.GetValue<string>() ?? "";
            var result = pipeline.Understand(text);
            output.WriteLine(ToJson(id, result));
            if (row["action"] is JsonValue action)
            {
                judged.Add(new JudgedLine(id, text, LabelOf(row, action.GetValue<string>()), result));
            }
        }

        output.Flush();
        error.WriteLine($"{lineNumber} lines in {watch.Elapsed.TotalMilliseconds:F0} ms (training {trained.TotalMilliseconds:F0} ms)");
        if (judged.Count == 0)
        {
            if (reportFolder is not null)
            {
                error.WriteLine($"{file}: no labelled lines (no \"action\"), no report written");
            }

            return 0;
        }

        var metrics = EvaluationMetrics.Compute(judged.Select(j => (j.Label, j.Result)).ToList(), topic => kb.TopicsById[topic].Route);
        error.Write(metrics.Describe());
        if (reportFolder is not null)
        {
            EvaluationReportWriter.Write(reportFolder, judged, metrics, Path.GetFileName(file));
            error.WriteLine($"report: {EvaluationReportWriter.FileNames.Count} files in {Path.GetFullPath(reportFolder)}");
        }

        return 0;
    }

    private static int CrossValidate(string folder, int folds, string[] args, TextWriter output, TextWriter error)
    {
        var kb = Load(folder, error);
        var watch = Stopwatch.StartNew();
        var policy = Option(args, "--temperature") is { } t ? new DecisionPolicy { Temperature = float.Parse(t, CultureInfo.InvariantCulture) } : new DecisionPolicy();
        if (args.Contains("--sweep"))
        {
            var files = args.SkipWhile(a => a != "--on").Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
            return Sweep(kb, folds, policy, files, output, watch);
        }

        var metrics = CrossValidation.Run(kb, folds, policy);
        output.WriteLine($"{folds}-fold cross-validation over the knowledge base's example phrasings ({watch.Elapsed.TotalSeconds:F1} s)");
        output.Write(metrics.Describe());
        return 0;
    }

    /// <summary>
    /// The bot's thresholds beside neighbouring ones, and the temperature beside others, all on the same folds: how often
    /// an answer is right (the precision target is about 0.97), how many answer lines are answered without a clarify,
    /// out-of-scope recall, and the calibration error of the reported confidence.
    /// </summary>
    private static int Sweep(KnowledgeBase kb, int folds, DecisionPolicy bot, List<string> files, TextWriter output, Stopwatch watch)
    {
        var policies = new List<DecisionPolicy> { bot };
        foreach (var answer in new[] { 0.35f, 0.4f, 0.45f, 0.5f })
        {
            foreach (var ratio in new[] { 2.5f, 3f, 4f })
            {
                foreach (var leading in new[] { 0.2f, 0.25f })
                {
                    policies.Add(bot with { Answer = answer, LeadRatio = ratio, Leading = leading });
                }
            }
        }

        foreach (var temperature in new[] { 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 1f })
        {
            policies.Add(bot with { Temperature = temperature });
        }

        var results = CrossValidation.Run(kb, folds, policies);
        output.WriteLine($"{folds}-fold cross-validation, {policies.Count} policies on the same folds ({watch.Elapsed.TotalSeconds:F1} s); the first row is the bot's");
        SweepTable(policies, results, output);
        if (files.Count > 0)
        {
            var trained = MessageUnderstanding.Train(kb);
            var lines = files.SelectMany(File.ReadLines).Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => JsonNode.Parse(l)!.AsObject())
                .Where(row => row["action"] is JsonValue).ToList();
            var labelled = lines.Select(row => (Text: row["text"]!.GetValue<string>(), Label: LabelOf(row, row["action"]!.GetValue<string>()))).ToList();
            var onFiles = policies.Select(p => trained.WithPolicy(p))
                .Select(pipeline => EvaluationMetrics.Compute([.. labelled.Select(l => (l.Label, pipeline.Understand(l.Text)))], topic => kb.TopicsById[topic].Route))
                .ToList();
            output.WriteLine();
            output.WriteLine($"The same policies on {string.Join(", ", files.Select(Path.GetFileName))} ({labelled.Count} lines, the pipeline trained on the whole knowledge base)");
            SweepTable(policies, onFiles, output);
        }

        return 0;
    }

    private static void SweepTable(List<DecisionPolicy> policies, IReadOnlyList<EvaluationMetrics> results, TextWriter output)
    {
        output.WriteLine("temperature  answer  leading  lead-ratio  right-when-answering  answered  out-of-scope  ECE");
        for (var i = 0; i < policies.Count; i++)
        {
            var (p, m) = (policies[i], results[i]);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Temperature,11:0.00}  {p.Answer,6:0.00}  {p.Leading,7:0.00}  {p.LeadRatio,10:0.0}  {m.AnswerPrecision,20:0.000}  {m.Answered,8:0.000}  {m.OutOfScopeRecall,12:0.000}  {m.CalibrationError:0.000}"));
        }
    }

    private static EvaluationLabel LabelOf(JsonObject row, string action) => new(
        row["lang"]?.GetValue<string>(),
        action,
        row["topic"]?.GetValue<string>(),
        row["route"] is JsonArray route ? route.Select(r => r!.GetValue<string>()).ToList() : [],
        row["also"] is JsonArray also ? also.Select(r => r!.GetValue<string>()).ToList() : []);

    private static string ToJson(string id, MessageUnderstandingResult result)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteString("lang", result.Language);
            json.WriteString("action", EvaluationMetrics.ActionName(result.Action));
            json.WriteString("topic", result.Topic);
            json.WriteStartArray("route");
            foreach (var org in result.Route)
            {
                json.WriteStringValue(org);
            }

            json.WriteEndArray();
            if (result.Organisation is { } organisation)
            {
                json.WriteString("organisation", organisation);
            }

            if (result.Facet is { } facet)
            {
                json.WriteString("facet", facet.Id());
            }

            json.WriteNumber("confidence", Math.Round(result.Confidence, 4));
            json.WriteStartArray("candidates");
            foreach (var c in result.Candidates)
            {
                json.WriteStartObject();
                json.WriteString("topic", c.Topic);
                json.WriteNumber("score", Math.Round(c.Score, 4));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The value after <paramref name="name"/> (<c>--out DIR</c>), or null; shared by every command.</summary>
    internal static string? Option(IReadOnlyList<string> args, string name)
    {
        var i = args.ToList().IndexOf(name);
        return i >= 0 && i + 1 < args.Count ? args[i + 1] : null;
    }
}
