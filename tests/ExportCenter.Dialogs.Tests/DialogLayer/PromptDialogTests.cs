using ExportCenter.Dialogs.DialogLayer;
using ExportCenter.Knowledge.Language;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;

namespace ExportCenter.Dialogs.Tests.DialogLayer;

/// <summary>
/// Transcript tests of the dialog layer (the user says X, the bot replies Y): prompts with validation,
/// re-prompts, the retry limit, skipping what is known, interruptions, and state kept between turns.
/// </summary>
public sealed class PromptDialogTests
{
    [Fact]
    public async Task ValidAnswers_CompleteTheDialogWithTypedState()
    {
        var host = new Host();

        await host.Flow()
            .Send("start").AssertReply("Vad heter företaget?")
            .Send("Snickeri AB").AssertReply("Vilken e-postadress når vi dig på?")
            .Send("anna@snickeri.se").AssertReply("Organisationsnummer? Skriv \"hoppa över\" om du inte vill uppge det.")
            .Send("556036-0793").AssertReply("I vilken kommun finns företaget?")
            .Send("rattvik").AssertReply("Får vi spara uppgifterna för att kunna kontakta dig?")
            .Send("ja tack").AssertReply("Klart: Snickeri AB, anna@snickeri.se, 556036-0793, Rättvik, samtycke: True.")
            .StartTestAsync();
    }

    [Fact]
    public async Task InvalidEmailAndOrganisationNumber_AreAskedAgainWithAHint()
    {
        var host = new Host();

        await host.Flow()
            .Send("start").AssertReply("Vad heter företaget?")
            .Send("Gjuteri AB").AssertReply("Vilken e-postadress når vi dig på?")
            .Send("anna at gjuteri").AssertReply("Det ser inte ut som en e-postadress. Vilken e-postadress når vi dig på?")
            .Send("anna@gjuteri.se").AssertReply("Organisationsnummer? Skriv \"hoppa över\" om du inte vill uppge det.")
            .Send("556036-0794").AssertReply("Kontrollsiffran stämmer inte. Organisationsnummer? Skriv \"hoppa över\" om du inte vill uppge det.")
            .Send("hoppa över").AssertReply("I vilken kommun finns företaget?")
            .StartTestAsync();
    }

    [Fact]
    public async Task TooManyInvalidAnswers_GiveUpAndOfferAPerson()
    {
        var host = new Host();

        await host.Flow()
            .Send("start").AssertReply("Vad heter företaget?")
            .Send("Gjuteri AB").AssertReply("Vilken e-postadress når vi dig på?")
            .Send("x").AssertReply(a => Assert.StartsWith("Det ser inte ut", ((IMessageActivity)a).Text, StringComparison.Ordinal))
            .Send("y").AssertReply(a => Assert.StartsWith("Det ser inte ut", ((IMessageActivity)a).Text, StringComparison.Ordinal))
            .Send("z").AssertReply("Det gick inte att läsa svaret. Vill du att en rådgivare hör av sig i stället?")
            .Send("hej").AssertReply("(ingen dialog)")
            .StartTestAsync();
    }

    [Fact]
    public async Task KnownAnswers_AreNotAskedAgain()
    {
        var host = new Host { KnownEmail = "known@foretag.se" };

        await host.Flow()
            .Send("start").AssertReply("Vad heter företaget?")
            .Send("Bryggeri AB").AssertReply("Organisationsnummer? Skriv \"hoppa över\" om du inte vill uppge det.")
            .StartTestAsync();
    }

    [Theory]
    [InlineData("avbryt", "Avbrutet.")]
    [InlineData("cancel", "Avbrutet.")]
    [InlineData("börja om", "Vi börjar om.")]
    public async Task CancelAndStartOver_EndTheDialogMidPrompt(string command, string reply)
    {
        var host = new Host();

        await host.Flow()
            .Send("start").AssertReply("Vad heter företaget?")
            .Send("Snickeri AB").AssertReply("Vilken e-postadress når vi dig på?")
            .Send(command).AssertReply(reply)
            .Send("anna@snickeri.se").AssertReply("(ingen dialog)")
            .StartTestAsync();
    }

    [Fact]
    public async Task HelpAndLanguageSwitch_KeepTheDialogAndAskAgain()
    {
        var host = new Host();

        await host.Flow()
            .Send("start").AssertReply("Vad heter företaget?")
            .Send("hjälp").AssertReply("Svara på frågan, eller skriv avbryt.")
            .AssertReply("Vad heter företaget?")
            .Send("in English").AssertReply("What is the company's name?")
            .Send("Sawmill Ltd").AssertReply("Which email address can we reach you at?")
            .StartTestAsync();
    }

    [Fact]
    public async Task TwoConversations_KeepTheirOwnDialogState()
    {
        var host = new Host();
        var adapter = new TestAdapter(TestAdapter.CreateConversation("first"));
        await new TestFlow(adapter, host.OnTurnAsync).Send("start").AssertReply("Vad heter företaget?").StartTestAsync();

        var other = new TestAdapter(TestAdapter.CreateConversation("second"));
        await new TestFlow(other, host.OnTurnAsync).Send("anna@snickeri.se").AssertReply("(ingen dialog)").StartTestAsync();
        await new TestFlow(adapter, host.OnTurnAsync).Send("Snickeri AB").AssertReply("Vilken e-postadress når vi dig på?").StartTestAsync();
    }

    [Theory]
    [InlineData("ja", true, true)]
    [InlineData("Ja tack!", true, true)]
    [InlineData("japp", true, true)]
    [InlineData("yes please", true, true)]
    [InlineData("nej", true, false)]
    [InlineData("nej tack", true, false)]
    [InlineData("nä", true, false)]
    [InlineData("no", true, false)]
    [InlineData("kanske", false, false)]
    public void YesNo_InSwedishAndEnglish(string text, bool recognised, bool yes)
    {
        Assert.Equal(recognised, Answers.YesNo(text, out var value));
        Assert.Equal(yes, value);
    }

    [Theory]
    [InlineData("070-123 45 67", "+46701234567")]
    [InlineData("+46 70 123 45 67", "+46701234567")]
    [InlineData("023-123 45", "+462312345")]
    public void Phone_IsNormalised(string text, string expected)
    {
        Assert.True(Answers.Phone(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("Borlänge", "Borlänge")]
    [InlineData("vi sitter i ludvika", "Ludvika")]
    [InlineData("utanför Dalarna", Answers.OutsideDalarna)]
    public void Municipality_OrOutsideDalarna(string text, string expected)
    {
        Assert.True(Answers.Municipality(text, out var value));
        Assert.Equal(expected, value);
    }

    /// <summary>A small host: the dialog layer with one contact-details dialog over in-memory state.</summary>
    private sealed class Host
    {
        private readonly ConversationState _state = new(new MemoryStorage());
        private readonly IStatePropertyAccessor<string> _language;
        private readonly DialogRunner _runner;

        public Host()
        {
            _language = _state.CreateProperty<string>("language");
            var dialogs = new DialogSet().Add(new PromptDialog<Contact>(
                "contact",
                turn => _language.GetAsync(turn, () => "sv").GetAwaiter().GetResult() == "en" ? ConversationLanguage.English : ConversationLanguage.Swedish,
                [
                    new PromptStep<Contact, string>
                    {
                        Question = (l, _) => l == ConversationLanguage.Swedish ? "Vad heter företaget?" : "What is the company's name?",
                        Hint = _ => "Skriv företagets namn.",
                        Recognizer = Answers.Text(200),
                        Store = (s, v) => s.Company = v,
                    },
                    new PromptStep<Contact, string>
                    {
                        Question = (l, _) => l == ConversationLanguage.Swedish ? "Vilken e-postadress når vi dig på?" : "Which email address can we reach you at?",
                        Hint = l => l == ConversationLanguage.Swedish ? "Det ser inte ut som en e-postadress." : "That does not look like an email address.",
                        Recognizer = Answers.Email,
                        Store = (s, v) => s.Email = v,
                        When = s => s.Email is null,
                    },
                    new PromptStep<Contact, string>
                    {
                        Question = (_, _) => "Organisationsnummer? Skriv \"hoppa över\" om du inte vill uppge det.",
                        Hint = _ => "Kontrollsiffran stämmer inte.",
                        Recognizer = (string text, out string value) =>
                        {
                            value = string.Empty;
                            return text.Contains("hoppa", StringComparison.OrdinalIgnoreCase) || Answers.OrganisationNumber(text, out value);
                        },
                        Store = (s, v) => s.OrganisationNumber = v.Length > 0 ? v : null,
                    },
                    new PromptStep<Contact, string>
                    {
                        Question = (_, _) => "I vilken kommun finns företaget?",
                        Hint = _ => "Skriv en av Dalarnas kommuner eller \"utanför Dalarna\".",
                        Recognizer = Answers.Municipality,
                        Store = (s, v) => s.Municipality = v,
                    },
                    new PromptStep<Contact, bool>
                    {
                        Question = (_, _) => "Får vi spara uppgifterna för att kunna kontakta dig?",
                        Hint = _ => "Svara ja eller nej.",
                        Recognizer = Answers.YesNo,
                        Store = (s, v) => s.Consent = v,
                        Choices = _ => ["Ja", "Nej"],
                    },
                ],
                onComplete: (turn, s, ct) => turn.SendActivityAsync($"Klart: {s.Company}, {s.Email}, {s.OrganisationNumber}, {s.Municipality}, samtycke: {s.Consent}.", cancellationToken: ct),
                onGiveUp: (turn, _, ct) => turn.SendActivityAsync("Det gick inte att läsa svaret. Vill du att en rådgivare hör av sig i stället?", cancellationToken: ct)));
            _runner = new DialogRunner(_state, dialogs);
        }

        public string? KnownEmail { get; init; }

        public TestFlow Flow() => new(new TestAdapter(TestAdapter.CreateConversation(Guid.NewGuid().ToString())), OnTurnAsync);

        public async Task OnTurnAsync(ITurnContext turn, CancellationToken ct)
        {
            var dc = await _runner.ContextAsync(turn, ct);
            switch (Interruptions.Detect(turn.Activity.Text))
            {
                case Interruption.Cancel:
                    dc.CancelAll();
                    await turn.SendActivityAsync("Avbrutet.", cancellationToken: ct);
                    break;
                case Interruption.StartOver:
                    dc.CancelAll();
                    await turn.SendActivityAsync("Vi börjar om.", cancellationToken: ct);
                    break;
                case Interruption.Help:
                    await turn.SendActivityAsync("Svara på frågan, eller skriv avbryt.", cancellationToken: ct);
                    await dc.RepeatAsync(ct);
                    break;
                case Interruption.English:
                    await _language.SetAsync(turn, "en", ct);
                    await dc.RepeatAsync(ct);
                    break;
                default:
                    if (turn.Activity.Text == "start")
                    {
                        await dc.BeginAsync("contact", ct, new Contact { Email = KnownEmail });
                    }
                    else if (!await dc.ContinueAsync(ct))
                    {
                        await turn.SendActivityAsync("(ingen dialog)", cancellationToken: ct);
                    }

                    break;
            }

            await _runner.RememberAsync(dc, ct);
            await _state.SaveChangesAsync(turn, cancellationToken: ct);
        }
    }

    private sealed class Contact
    {
        public string? Company { get; set; }

        public string? Email { get; set; }

        public string? OrganisationNumber { get; set; }

        public string? Municipality { get; set; }

        public bool Consent { get; set; }
    }
}
