using System.Diagnostics.Metrics;

namespace ExportCenter.Bot.Telemetry;

/// <summary>
/// The bot's own instruments, on the meter <see cref="MeterName"/> (Prometheus shows them as <c>exportcenter_*</c>). Tags
/// name channels, actions, ticket actions and outbox kinds only: never an id, a name or anything a company wrote.
/// </summary>
public sealed class BotMetrics
{
    public const string MeterName = "ExportCenter.Bot";

    private readonly Counter<long> _turns;
    private readonly Counter<long> _ticketEvents;
    private readonly Counter<long> _outboxSent;
    private readonly Counter<long> _outboxFailures;

    public BotMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _turns = meter.CreateCounter<long>("exportcenter.turns", "{turn}", "Turns taken, by channel and by what the bot did with a company's message (action; none for other activities, advisor for the advisors' side).");
        _ticketEvents = meter.CreateCounter<long>("exportcenter.ticket.events", "{event}", "Ticket events saved, by action: created, claimed, resolved, reassigned, reminded (SLA reminder), escalated (SLA breach), and the rest of the audit trail.");
        _outboxSent = meter.CreateCounter<long>("exportcenter.outbox.sent", "{message}", "Outbox messages delivered, by kind.");
        _outboxFailures = meter.CreateCounter<long>("exportcenter.outbox.failures", "{failure}", "Outbox deliveries that failed, by kind and outcome (retry, given_up).");
    }

    public void Turn(string? channel, string action)
    {
        if (_turns.Enabled)
        {
            _turns.Add(1, new KeyValuePair<string, object?>("channel", Channel(channel)), new KeyValuePair<string, object?>("action", action));
        }
    }

    public void TicketEvent(string action) => _ticketEvents.Add(1, new KeyValuePair<string, object?>("action", action));

    public void OutboxSent(string kind) => _outboxSent.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void OutboxFailed(string kind, bool givenUp) =>
        _outboxFailures.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", givenUp ? "given_up" : "retry"));

    // A channel id is the channel's own name (directline, msteams, webchat, emulator...); anything else is counted as
    // "other", so a client cannot make new series.
    private static string Channel(string? channel) => channel switch
    {
        "directline" or "msteams" or "webchat" or "emulator" or "test" => channel,
        _ => "other",
    };
}
