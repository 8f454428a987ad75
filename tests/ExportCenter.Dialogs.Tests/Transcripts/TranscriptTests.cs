using System.Text;
using ExportCenter.Dialogs.Tests.Conversation;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Xunit.Abstractions;

namespace ExportCenter.Dialogs.Tests.Transcripts;

/// <summary>
/// The dialogues written in Transcripts/*.yaml, one test case each: every turn is sent on the TestAdapter,
/// all the activities the turn produced are read, and their texts are held to what the turn expects.
/// </summary>
public sealed class TranscriptTests(ITestOutputHelper output)
{
    private static readonly ConversationHost Host = new();

    public static TheoryData<string, string> Dialogues()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in TranscriptFiles.Names())
        {
            foreach (var dialogue in TranscriptFiles.Load(file))
            {
                data.Add(file, dialogue.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Dialogues))]
    public async Task Dialogue_IsAnsweredAsWritten(string file, string dialogue)
    {
        var written = TranscriptFiles.Load(file).Single(d => d.Name == dialogue);
        var adapter = ConversationHost.Adapter(written.Locale);
        var flow = Host.Flow(adapter);
        for (var i = 0; i < written.Turns.Count; i++)
        {
            var number = i + 1;
            var turn = written.Turns[i];
            var sent = flow.Send(turn.Says);
            flow = new TestFlow(
                async () =>
                {
                    await sent.StartTestAsync();
                    Check(file, dialogue, number, turn, Drain(adapter));
                },
                sent);
        }

        await flow.StartTestAsync();
    }

    /// <summary>The turn has finished when Send returns, so every reply it produced is in the adapter's queue.</summary>
    private static List<IActivity> Drain(TestAdapter adapter)
    {
        var replies = new List<IActivity>();
        while (adapter.GetNextReply() is { } reply)
        {
            replies.Add(reply);
        }

        return replies;
    }

    private void Check(string file, string dialogue, int number, TranscriptTurn turn, List<IActivity> replies)
    {
        var texts = replies.SelectMany(ReplyTexts.Of).ToList();
        var locales = replies.Where(r => r.Type == ActivityTypes.Message).Select(r => r.AsMessageActivity().Locale ?? "").ToList();
        var shown = Shown(turn, replies, locales);
        output.WriteLine(shown);

        var failures = new List<string>();
        failures.AddRange(turn.ReplyContains.Where(p => !texts.Exists(t => t.Contains(p, StringComparison.Ordinal))).Select(p => $"no reply contains \"{p}\""));
        failures.AddRange(turn.ReplyNotContains.Where(p => texts.Exists(t => t.Contains(p, StringComparison.OrdinalIgnoreCase))).Select(p => $"a reply contains \"{p}\""));
        if (turn.ContainsAny.Count > 0 && !turn.ContainsAny.Any(p => texts.Exists(t => t.Contains(p, StringComparison.OrdinalIgnoreCase))))
        {
            failures.Add($"no reply contains any of {string.Join(", ", turn.ContainsAny.Select(p => $"\"{p}\""))}");
        }

        if (turn.Replies is { } count && replies.Count != count)
        {
            failures.Add($"{replies.Count} activities instead of {count}");
        }

        if (turn.Locale is { } locale && (locales.Count == 0 || locales.Exists(l => l != locale)))
        {
            failures.Add($"the locales are [{string.Join(", ", locales)}], not all {locale}");
        }

        if (turn.Locales.Count > 0 && !turn.Locales.SequenceEqual(locales))
        {
            failures.Add($"the locales are [{string.Join(", ", locales)}], not [{string.Join(", ", turn.Locales)}]");
        }

        if (failures.Count > 0)
        {
            Assert.Fail($"{file}, '{dialogue}', turn {number}: {string.Join("; ", failures)}.{Environment.NewLine}{shown}");
        }
    }

    private static string Shown(TranscriptTurn turn, List<IActivity> replies, List<string> locales)
    {
        var text = new StringBuilder().Append("company: ").AppendLine(turn.Says);
        var message = 0;
        foreach (var reply in replies)
        {
            var locale = reply.Type == ActivityTypes.Message ? locales[message++] : "";
            text.Append("  bot (").Append(reply.Type).Append(' ').Append(locale).AppendLine("):");
            foreach (var line in ReplyTexts.Of(reply))
            {
                text.Append("    | ").AppendLine(line.ReplaceLineEndings(" "));
            }
        }

        return text.ToString();
    }
}
