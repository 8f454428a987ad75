using ExportCenter.Dialogs.Tests.Cards;
using System.Globalization;
using System.Text;
using ExportCenter.Dialogs.Tests.Conversation;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;
using Xunit.Abstractions;

namespace ExportCenter.Dialogs.Tests.HeldOut;

/// <summary>
/// A measurement, not a specification: every dialogue of tests/eval/holdout-dialogues.yaml is played through a fresh
/// conversation on the TestAdapter, each turn's replies are read as a person would see them, and the share of turns
/// handled as expected is reported (per dialogue, per action, per language) and held to a regression floor.
/// </summary>
public sealed class HeldOutDialogueTests(ITestOutputHelper output)
{
    /// <summary>
    /// The goal is 0.90 of the held-out turns handled as a person expects; this floor only stops regressions.
    /// It stays about 0.05 below the last measurement (152/165 = 0.921), so that a real regression fails and a changed
    /// tie-break in one turn does not. Raise it as the conversation improves.
    /// </summary>
    private const double ExpectedTurnsFloor = 0.87;

    [Fact]
    public async Task HeldOutDialogue_TurnsHandledAsExpected_StayAboveTheFloor()
    {
        var host = new ConversationHost();
        var classifier = new ReplyClassifier(host.Knowledge);
        var results = new List<(HoldoutDialogue Dialogue, int Turn, HoldoutTurn Written, SeenReply Seen, bool Met)>();
        var report = new StringBuilder();
        foreach (var dialogue in HoldoutDialogues.Load())
        {
            var chat = host.Chat(dialogue.Locale);
            report.Append(CultureInfo.InvariantCulture, $"{dialogue.Id} ({dialogue.Lang}, {dialogue.Locale}): {dialogue.Note}").AppendLine();
            for (var i = 0; i < dialogue.Turns.Count; i++)
            {
                var turn = dialogue.Turns[i];
                var replies = await chat.RepliesToAsync(turn.Says);
                var seen = classifier.Classify(replies);
                var met = turn.Expect.IsMetBy(seen);
                results.Add((dialogue, i + 1, turn, seen, met));
                report.Append(CultureInfo.InvariantCulture, $"  {(met ? "ok  " : "MISS")} {i + 1}. \"{turn.Says}\"").AppendLine()
                    .Append(CultureInfo.InvariantCulture, $"         expected: {turn.Expect}").AppendLine()
                    .Append(CultureInfo.InvariantCulture, $"         got:      {seen}").AppendLine()
                    .Append(CultureInfo.InvariantCulture, $"         shown:    {Glimpse(replies)}").AppendLine();
            }

            report.AppendLine();
        }

        var share = (double)results.Count(r => r.Met) / results.Count;
        report.Append(CultureInfo.InvariantCulture, $"Turns expected: {results.Count(r => r.Met)}/{results.Count} = {share:0.000} (floor {ExpectedTurnsFloor:0.00}, goal 0.90)").AppendLine();
        Breakdown(report, "Per expected action", results.Select(r => (r.Written.Expect.Action, r.Met)));
        Breakdown(report, "Per language", results.Select(r => (r.Dialogue.Lang, r.Met)));
        report.AppendLine().AppendLine("Unexpected turns:");
        foreach (var miss in results.Where(r => !r.Met))
        {
            report.Append(CultureInfo.InvariantCulture, $"  {miss.Dialogue.Id} turn {miss.Turn} ({miss.Dialogue.Lang}): \"{miss.Written.Says}\"").AppendLine()
                .Append(CultureInfo.InvariantCulture, $"      expected {miss.Written.Expect}; got {miss.Seen}").AppendLine();
        }

        var text = report.ToString();
        output.WriteLine(text);
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "holdout-dialogues.txt"), text);

        Assert.True(share >= ExpectedTurnsFloor, $"{share:0.000} of the held-out turns were handled as expected, below the floor {ExpectedTurnsFloor:0.00}.");
    }

    /// <summary>The first lines a person reads in each reply: the message text and the first two texts of each card.</summary>
    private static string Glimpse(List<IActivity> replies) => string.Join(" | ", replies
        .Select(r => r.AsMessageActivity())
        .OfType<IMessageActivity>()
        .SelectMany(m => CardJson.Of(m)
            .SelectMany(card => card.SelectTokens("$.body[*].text").Take(2).Select(t => t.Value<string>() ?? ""))
            .Prepend(m.Text ?? ""))
        .Where(t => t.Length > 0)
        .Select(t => t.Length <= 70 ? t : t[..70] + "…")
        .Select(t => t.ReplaceLineEndings(" ")));

    private static void Breakdown(StringBuilder report, string title, IEnumerable<(string Key, bool Met)> rows)
    {
        report.AppendLine().AppendLine(title + ":");
        foreach (var group in rows.GroupBy(r => r.Key).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var met = group.Count(r => r.Met);
            report.Append(CultureInfo.InvariantCulture, $"  {group.Key,-14} {met,3}/{group.Count(),-3} = {(double)met / group.Count():0.000}").AppendLine();
        }
    }
}
