namespace ExportCenter.Bot.Benchmarks.Load;

/// <summary>
/// What the load sends: questions companies ask the export centre, in Swedish and English, each answered from the
/// knowledge base (none asks for a person, so no turn opens a handoff).
/// </summary>
internal static class Questions
{
    private static readonly (string Text, string Locale)[] All =
    [
        ("Vi ska börja sälja sågverksmaskiner till Norge, vad måste vi tänka på med tullen?", "sv-SE"),
        ("How can we make sure a new customer in the United States actually pays us?", "en-US"),
        ("Finns det stöd för att ställa ut på en mässa i Tyskland?", "sv-SE"),
        ("Do we add Swedish VAT when we sell consulting services to a company in Finland?", "en-US"),
        ("Var får vi ett ursprungsintyg till en kund i Saudiarabien?", "sv-SE"),
        ("We are looking for an agent or distributor in Poland, who can help us find one?", "en-US"),
        ("Kan vi få hjälp att finansiera en stor exportorder?", "sv-SE"),
        ("What is an EORI number and do we need one to export?", "en-US"),
    ];

    /// <summary>The question for a connection's n-th turn: neighbouring connections start at different questions.</summary>
    public static (string Text, string Locale) For(int worker, long n) => All[(int)((worker + n) % All.Length)];
}
