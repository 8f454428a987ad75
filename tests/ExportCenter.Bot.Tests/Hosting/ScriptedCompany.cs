using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ExportCenter.Bot.Testing;
using ExportCenter.Dialogs.Conversation;

namespace ExportCenter.Bot.Tests.Hosting;

/// <summary>
/// One company's handoff over Direct Line HTTP (post, then GET activities) against several bot instances, each request to
/// one that is up, picked at random. It answers whatever the bot asked last, as a person does, so a post cut off by a
/// crash is simply answered again: when the message never made it, or the turn died before it replied, the last question is
/// still the same one. It stops at the ticket's confirmation.
/// </summary>
internal sealed partial class ScriptedCompany(int index, InstancePool instances, Random random)
{
    private const int MaxTurns = 40;
    private const string Question = "Banken vill inte förskottera produktionen för en order till Kanada";
    private const string DescribeQuestion = "Beskriv kort din fråga";
    private static readonly HandoffTexts Texts = HandoffTexts.Swedish;
    private readonly List<JsonNode> _history = [];
    private readonly List<string> _transcript = [];
    private string _watermark = "";
    private string _token = "";
    private string _conversationId = "";

    public int Index => index;

    public string ConversationId => _conversationId;

    /// <summary>Posts that failed after they were sent: the instance was killed while it had them.</summary>
    public int CutOffPosts { get; private set; }

    /// <summary>Of those, the posts that answered the summary question, the turn that makes the ticket.</summary>
    public int CutOffTicketPosts { get; private set; }

    /// <summary>Posts the bot answered with a 5xx while it was up (the turn failed beyond the bot's own error handler).</summary>
    public int FailedTurns { get; private set; }

    /// <summary>
    /// Replies off the handoff's path: a question asked again with its hint, "glad it helped", or the give-up after the
    /// retries. The script's answers are all valid, so each means the bot had lost the question it asked last: an
    /// instance was killed after the turn's reply was stored and before its conversation state was saved.
    /// </summary>
    public int Detours { get; private set; }

    /// <summary>The numbers the company was confirmed in its chat, read from the whole chat at the end.</summary>
    public List<string> Confirmations { get; } = [];

    private string Email => $"kontakt{index}@foretag{index}.se";

    public async Task RunAsync()
    {
        var cookies = new CookieContainer();
        var clients = instances.All.Select(i => new DirectLineClient(i.CreateHttpClient(cookies))).ToList();
        try
        {
            await instances.OnAnyAsync(clients, async client =>
            {
                await client.CreateSessionAsync();
                using var started = await client.StartAsync("sv-SE");
                Assert.True(started.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"Company {index}: the start answered {(int)started.StatusCode}.");
                (_token, _conversationId) = (client.Token, client.ConversationId);
            });

            var next = Question;
            for (var turn = 0; ; turn++)
            {
                Assert.True(turn < MaxTurns, $"Company {index}: no confirmation after {MaxTurns} messages. The bot's last words, after each post: {string.Join(" | ", _transcript)}");
                var ticketTurn = LastBotText() is { } asked && IsSummaryQuestion(asked);
                var outcome = await PostAsync(clients, next, ticketTurn);
                switch (outcome)
                {
                    case PostOutcome.CutOff:
                        CutOffPosts++;
                        CutOffTicketPosts += ticketTurn ? 1 : 0;
                        break;
                    case PostOutcome.BotFailed:
                        FailedTurns++;
                        break;
                }

                await instances.OnAnyAsync(clients, async client =>
                {
                    Prepare(client);
                    var activities = await client.ActivitiesAfterAsync(_watermark);
                    _history.AddRange(activities.OfType<JsonNode>());
                    _watermark = client.Watermark;
                });

                // Nothing answered yet (the first post was cut off): the question again.
                var last = LastBotText();
                _transcript.Add($"{outcome}: {last}");
                if (last is not null && Confirmation().IsMatch(last))
                {
                    break;
                }

                next = last is null ? Question : Answer(last);
            }

            // The whole chat from the start, as the company sees it when it comes back.
            await instances.OnAnyAsync(clients, async client =>
            {
                Prepare(client);
                var all = await client.ActivitiesAfterAsync("");
                Confirmations.Clear();
                Confirmations.AddRange(all.Where(IsFromBot).Select(Text).OfType<string>()
                    .Select(t => Confirmation().Match(t)).Where(m => m.Success).Select(m => m.Groups["number"].Value));
            });
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Http.Dispose();
            }
        }
    }

    /// <summary>One attempt at one instance that is up; the outcome says whether the bot had the message.</summary>
    private async Task<PostOutcome> PostAsync(List<DirectLineClient> clients, string text, bool ticketTurn)
    {
        var (instance, client) = instances.PickUp(clients, random);
        Prepare(client);
        try
        {
            instances.Posting(ticketTurn);
            using var response = await client.PostMessageAsync(text, Guid.NewGuid().ToString("N"));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return PostOutcome.Answered;
            }

            Assert.True((int)response.StatusCode >= 500, $"Company {index}: a post answered {(int)response.StatusCode} by {instance.Name}.");
            return PostOutcome.BotFailed;
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError)
        {
            return PostOutcome.NotSent; // nothing listened: the instance was down
        }
        catch (HttpRequestException)
        {
            return PostOutcome.CutOff; // the connection broke with the request sent: killed while it had it
        }
    }

    private void Prepare(DirectLineClient client) => (client.Token, client.ConversationId) = (_token, _conversationId);

    /// <summary>What the bot said last: its last message's text, or the text of its card (an answer asks "did this help?" in its card).</summary>
    private string? LastBotText() => _history.Where(IsFromBot).Select(Words).LastOrDefault(t => !string.IsNullOrEmpty(t));

    private static bool IsFromBot(JsonNode? activity) => activity?["from"]?["role"]?.GetValue<string>() == "bot";

    private static string? Text(JsonNode? activity) => activity?["text"]?.GetValue<string>();

    private static string? Words(JsonNode? activity) =>
        Text(activity) is { Length: > 0 } text
            ? text
            : string.Join(' ', (activity?["attachments"]?.AsArray() ?? []).SelectMany(a => TextBlocks(a?["content"])));

    private static IEnumerable<string> TextBlocks(JsonNode? element) => element switch
    {
        JsonObject o when o["type"]?.GetValue<string>() == "TextBlock" && o["text"] is JsonValue t => [t.GetValue<string>()],
        JsonObject o => o.Select(p => p.Value).SelectMany(TextBlocks),
        JsonArray a => a.SelectMany(TextBlocks),
        _ => [],
    };

    /// <summary>What a company answers to each of the handoff's questions (and to a question asked again with its hint).</summary>
    private string Answer(string asked)
    {
        bool Is(params string[] texts) => texts.Any(t => asked.StartsWith(Prefix(t), StringComparison.Ordinal));
        if (Is(Texts.ConsentHint, Texts.CompanyHint, Texts.OrganisationNumberHint, Texts.ContactPersonHint, Texts.ContactHint, Texts.MunicipalityHint, Texts.PreferredLanguageHint, Texts.SummaryHint, Texts.GiveUp, BotTexts.Swedish.GladItHelped))
        {
            Detours++;
        }

        return asked switch
        {
            _ when asked.StartsWith(BotTexts.Swedish.WelcomeHeading, StringComparison.Ordinal) => Question,
            _ when asked.Contains(BotTexts.Swedish.DidThisHelp, StringComparison.Ordinal) => "prata med en människa",

            // The bot took "ja" to the consent for "yes, it helped", or gave up after the retries: the company asks again.
            _ when Is(BotTexts.Swedish.GladItHelped, Texts.GiveUp) => "prata med en människa",
            _ when Is(Texts.Consent, Texts.ConsentHint) => "ja",
            _ when Is(Texts.ConfirmCompany) => "ja",
            _ when Is(Texts.Company, Texts.CompanyHint) => "Ludvika Gjuteri AB",
            _ when Is(Texts.OrganisationNumber, Texts.OrganisationNumberHint) => "hoppa över",
            _ when Is(Texts.ContactPerson, Texts.ContactPersonHint) => "Anna Berg",
            _ when Is(Texts.Contact, Texts.ContactHint, Texts.ConfirmContact) => Email,
            _ when Is(Texts.Municipality, Texts.MunicipalityHint, Texts.ConfirmMunicipality) => "Ludvika",
            _ when Is(Texts.PreferredLanguage, Texts.PreferredLanguageHint, Texts.ConfirmLanguage) => "svenska",
            _ when asked.StartsWith(DescribeQuestion, StringComparison.Ordinal) => "Vi behöver hjälp att finansiera en order till Kanada.",
            _ when IsSummaryQuestion(asked) => "ja",
            _ => throw new InvalidOperationException($"Company {index}: a reply the script has no answer to: \"{asked}\"."),
        };
    }

    /// <summary>The last question before the ticket: the answer to it makes the ticket.</summary>
    private static bool IsSummaryQuestion(string asked) =>
        asked.StartsWith(Prefix(Texts.Summary), StringComparison.Ordinal) || asked.StartsWith(Texts.SummaryHint, StringComparison.Ordinal)
        || asked.StartsWith(DescribeQuestion, StringComparison.Ordinal);

    /// <summary>The fixed start of a text with a placeholder ("Gäller det {0}? ..." -> "Gäller det ").</summary>
    private static string Prefix(string format) => format.Split("{0}")[0];

    [GeneratedRegex(@"^Tack! Ditt ärende har nummer (?<number>EXP-\d{4}-\d{5})\.")]
    public static partial Regex Confirmation();

    private enum PostOutcome
    {
        Answered,
        NotSent,
        CutOff,
        BotFailed,
    }
}

/// <summary>
/// The instances the companies talk to, which of them is up, and the count of posts sent (all, and the answers that make
/// a ticket), by which the test picks the moments it kills an instance.
/// </summary>
internal sealed class InstancePool(IReadOnlyList<BotProcess> all)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly bool[] _up = [.. all.Select(_ => true)];
    private readonly Lock _gate = new();
    private readonly List<(long Target, bool TicketTurns, TaskCompletionSource Reached)> _waiters = [];
    private long _posts;
    private long _ticketPosts;

    public IReadOnlyList<BotProcess> All => all;

    public long Posts
    {
        get
        {
            lock (_gate)
            {
                return _posts;
            }
        }
    }

    /// <summary>Posts that answered the summary question: each makes a ticket, and its card and email go out right after.</summary>
    public long TicketPosts
    {
        get
        {
            lock (_gate)
            {
                return _ticketPosts;
            }
        }
    }

    public void SetUp(BotProcess instance, bool up)
    {
        lock (_gate)
        {
            _up[IndexOf(instance)] = up;
        }
    }

    /// <summary>An instance that is up (at random) and the company's client for it.</summary>
    public (BotProcess Instance, DirectLineClient Client) PickUp(List<DirectLineClient> clients, Random random)
    {
        int[] up;
        lock (_gate)
        {
            up = [.. Enumerable.Range(0, all.Count).Where(i => _up[i])];
        }

        var chosen = up.Length > 0 ? up[random.Next(up.Length)] : random.Next(all.Count);
        return (all[chosen], clients[chosen]);
    }

    /// <summary>
    /// Runs a request that changes nothing (a session, a start, a read) on an instance that is up, and on the next one
    /// while the connection fails, until it succeeds.
    /// </summary>
    public async Task OnAnyAsync(List<DirectLineClient> clients, Func<DirectLineClient, Task> request)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var (_, client) = PickUp(clients, Random.Shared);
            try
            {
                await request(client);
                return;
            }
            catch (HttpRequestException) when (deadline.Elapsed < Patience)
            {
                // Killed under the request, or not listening yet: the other instance answers.
                await Task.Delay(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    /// <summary>Counts a post about to be sent, and lets the waiters for that count go.</summary>
    public void Posting(bool ticketTurn)
    {
        lock (_gate)
        {
            _posts++;
            _ticketPosts += ticketTurn ? 1 : 0;
            foreach (var waiter in _waiters.Where(w => w.Target <= (w.TicketTurns ? _ticketPosts : _posts)).ToList())
            {
                waiter.Reached.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>Completes once <paramref name="target"/> posts (or, with <paramref name="ticketTurns"/>, answers that make a ticket) were sent in all.</summary>
    public Task Reached(long target, bool ticketTurns)
    {
        lock (_gate)
        {
            if ((ticketTurns ? _ticketPosts : _posts) >= target)
            {
                return Task.CompletedTask;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((target, ticketTurns, waiter));
            return waiter.Task;
        }
    }

    private int IndexOf(BotProcess instance)
    {
        for (var i = 0; i < all.Count; i++)
        {
            if (ReferenceEquals(all[i], instance))
            {
                return i;
            }
        }

        throw new ArgumentException("Not an instance of this pool.", nameof(instance));
    }
}
