using System.Text.Json;
using ExportCenter.Bot.Outbox;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Tickets;
using ExportCenter.Knowledge.KnowledgeBase;
using Microsoft.EntityFrameworkCore;

namespace ExportCenter.Bot.Advisors;

/// <summary>An advisor acting, and where from ("teams" or "advisors-page").</summary>
public sealed record AdvisorActor(Advisor Advisor, string Source);

/// <summary>The result of an advisor's action: done (with the ticket as it is now) or refused with a reason.</summary>
public sealed record DeskResult(bool Done, string Message, Ticket? Ticket, IReadOnlyList<TicketHistoryLine> History)
{
    public static DeskResult Refused(string message, Ticket? ticket = null, IReadOnlyList<TicketHistoryLine>? history = null) => new(false, message, ticket, history ?? []);
}

/// <summary>Outbox payload naming a ticket.</summary>
public sealed record TicketPayload(string Number);

/// <summary>Outbox payload: where a deleted ticket's card was posted.</summary>
public sealed record RedactedCardPayload(string Number, string ConversationId, string ActivityId);

/// <summary>Outbox payload: a text for a ticket's thread or for the company.</summary>
public sealed record TicketTextPayload(string Number, string Text, bool MentionCoordinator = false, bool EscalationChannel = false);

/// <summary>
/// What advisors do with tickets: claim, reassign, resolve, reply, and the live relay. Each action changes
/// the ticket, writes an audit row and queues its deliveries (the card update for everyone, the message to
/// the company, an email) in one transaction, so nothing is sent for a change that did not happen and
/// nothing is lost for one that did. The ticket's version guards against two advisors acting at once.
/// </summary>
public sealed class TicketDesk(IDbContextFactory<BotDbContext> dbFactory, KnowledgeBase knowledge, TicketDeadlinePolicy deadlines, OutboxSignal outboxSignal, TimeProvider time)
{
    /// <summary>Outbox partition of a ticket's messages in the advisors' channel (card first, then updates, in order).</summary>
    public static string AdvisorPartition(string number) => "advisors:" + number;

    /// <summary>Outbox partition of a ticket's messages to the company.</summary>
    public static string CompanyPartition(string number) => "company:" + number;

    public async Task<DeskResult> ActAsync(AdvisorActor actor, string verb, string number, IReadOnlyDictionary<string, string?> inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(inputs);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryActAsync(actor, verb, number, inputs, cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Someone else changed the ticket in between; decide again on its new state.
                if (attempt == 3)
                {
                    return DeskResult.Refused($"Ärende {number} ändrades samtidigt av någon annan. Försök igen.");
                }
            }
        }
    }

    private async Task<DeskResult> TryActAsync(AdvisorActor actor, string verb, string number, IReadOnlyDictionary<string, string?> inputs, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ticket = await db.Tickets.SingleOrDefaultAsync(t => t.Number == number, cancellationToken);
        if (ticket is null)
        {
            return DeskResult.Refused($"Det finns inget ärende {number}.");
        }

        var advisor = actor.Advisor;
        var now = time.GetUtcNow();
        if (ticket.Status == TicketStatus.Resolved)
        {
            return DeskResult.Refused($"Ärende {number} är redan avslutat.", ticket, await HistoryAsync(db, ticket.Id, cancellationToken));
        }

        string? detail = null;
        string message;
        switch (verb)
        {
            case TicketCard.Verbs.Claim:
                if (ticket.Status == TicketStatus.Claimed)
                {
                    var holder = await db.Advisors.AsNoTracking().SingleOrDefaultAsync(a => a.Id == ticket.ClaimedByAdvisorId, cancellationToken);
                    return DeskResult.Refused(
                        ticket.ClaimedByAdvisorId == advisor.Id ? $"Du har redan ärende {number}." : $"{holder?.Name ?? "En annan rådgivare"} har redan ärende {number}.",
                        ticket,
                        await HistoryAsync(db, ticket.Id, cancellationToken));
                }

                Claim(ticket, advisor, now);
                QueueCompany(db, ticket, "claimed", CompanyNotices.Claimed(ticket, advisor, knowledge, deadlines.ToLocal(ticket.DueAt)), now, email: ("Ditt ärende {0} har en rådgivare", "Your case {0} has an advisor"));
                message = $"Du har nu ärende {number}.";
                break;

            case TicketCard.Verbs.Reassign:
                var organisation = inputs.GetValueOrDefault(TicketCard.OrganisationInput);
                if (organisation is null || !knowledge.OrganisationsById.ContainsKey(organisation))
                {
                    return DeskResult.Refused("Välj en organisation i listan.");
                }

                if (organisation == ticket.OrganisationId && ticket.Status == TicketStatus.Open)
                {
                    return DeskResult.Refused($"Ärende {number} ligger redan hos {TicketCard.OrganisationName(knowledge, organisation)}.");
                }

                ticket.AssignedOrganisationId = organisation;
                var holderOrganisation = ticket.ClaimedByAdvisorId is { } holderId
                    ? await db.Advisors.AsNoTracking().Where(a => a.Id == holderId).Select(a => a.OrganisationId).SingleOrDefaultAsync(cancellationToken)
                    : null;
                if (ticket.Status == TicketStatus.Claimed && holderOrganisation != organisation)
                {
                    // The new organisation picks it up: the ticket is open again and the relay stops.
                    ticket.Status = TicketStatus.Open;
                    ticket.ClaimedByAdvisorId = null;
                }

                detail = organisation;
                QueueCompany(db, ticket, "reassigned", CompanyNotices.Reassigned(ticket, knowledge, deadlines.ToLocal(ticket.DueAt)), now, email: null);
                message = $"Ärende {number} är flyttat till {TicketCard.OrganisationName(knowledge, organisation)}.";
                break;

            case TicketCard.Verbs.Resolve:
                if (!Enum.TryParse<TicketOutcome>(inputs.GetValueOrDefault(TicketCard.OutcomeInput), ignoreCase: true, out var outcome) || !Enum.IsDefined(outcome))
                {
                    return DeskResult.Refused("Välj hur ärendet slutade.");
                }

                ticket.Status = TicketStatus.Resolved;
                ticket.Outcome = outcome;
                ticket.ResolvedAt = now;
                ticket.ResolvedByAdvisorId = advisor.Id;
                detail = outcome.ToString().ToLowerInvariant();
                QueueCompany(db, ticket, "resolved", CompanyNotices.Resolved(ticket, advisor, knowledge), now, email: ("Ditt ärende {0} är avslutat", "Your case {0} is closed"));
                message = $"Ärende {number} är avslutat.";
                break;

            case TicketCard.Verbs.Reply:
                var text = inputs.GetValueOrDefault(TicketCard.ReplyInput)?.Trim();
                if (string.IsNullOrEmpty(text))
                {
                    return DeskResult.Refused("Skriv ett meddelande till företaget.");
                }

                if (text.Length > TicketCard.MaxReplyChars)
                {
                    return DeskResult.Refused($"Meddelandet är för långt (högst {TicketCard.MaxReplyChars} tecken).");
                }

                if (ticket.Status == TicketStatus.Open)
                {
                    // Answering the company is taking the case.
                    Claim(ticket, advisor, now);
                    AddEvent(db, ticket, "claimed", actor, now, null);
                }

                QueueCompany(db, ticket, "reply", CompanyNotices.Reply(advisor, knowledge, ticket, text), now, email: null);
                message = $"Skickat till företaget i ärende {number}.";
                break;

            default:
                return DeskResult.Refused("Okänd åtgärd.");
        }

        ticket.Version++;
        AddEvent(db, ticket, verb switch
        {
            TicketCard.Verbs.Claim => "claimed",
            TicketCard.Verbs.Reassign => "reassigned",
            TicketCard.Verbs.Resolve => "resolved",
            _ => "replied",
        }, actor, now, detail);
        QueueCardUpdate(db, ticket, now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Pulse();
        return new DeskResult(true, message, ticket, await HistoryAsync(db, ticket.Id, cancellationToken));
    }

    /// <summary>
    /// The live relay from the company: while one of the conversation's tickets is claimed, what the company
    /// writes goes to the ticket's thread instead of to the knowledge base. Returns false when nothing is live.
    /// </summary>
    public async Task<bool> RelayFromCompanyAsync(string channelId, string conversationId, string activityId, string text, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Tickets.AsNoTracking()
            .Where(t => t.ChannelId == channelId && t.ConversationId == conversationId && t.Status == TicketStatus.Claimed)
            .OrderByDescending(t => t.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (ticket is null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var key = $"relay-{ticket.Number}-{activityId}";
        if (await db.Outbox.AnyAsync(m => m.IdempotencyKey == key, cancellationToken))
        {
            return true; // The channel delivered the same activity twice.
        }

        db.Outbox.Add(NewMessage(OutboxKinds.AdvisorMessage, key, AdvisorPartition(ticket.Number), new TicketTextPayload(ticket.Number, $"{ticket.Number} · {ticket.ContactPerson} ({ticket.CompanyName}): {Clip(text)}"), now));
        db.TicketEvents.Add(new TicketEvent { TicketId = ticket.Id, At = now, Action = "relayed", Source = "company" });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Pulse();
        return true;
    }

    /// <summary>The tickets that are not resolved, most urgent first, as a short text for the advisors.</summary>
    public async Task<string> OverviewAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var open = await db.Tickets.AsNoTracking()
            .Where(t => t.Status != TicketStatus.Resolved)
            .OrderBy(t => t.DueAt)
            .Select(t => new { t.Number, t.Status, Organisation = t.AssignedOrganisationId ?? t.SuggestedOrganisationId, t.DueAt })
            .Take(15)
            .ToListAsync(cancellationToken);
        if (open.Count == 0)
        {
            return "Inga öppna ärenden just nu.";
        }

        var swedish = System.Globalization.CultureInfo.GetCultureInfo("sv-SE");
        var lines = open.Select(t =>
            $"{t.Number}: {(t.Status == TicketStatus.Claimed ? "tas om hand" : "väntar på en rådgivare")} · {TicketCard.OrganisationName(knowledge, t.Organisation)} · kontakt senast {deadlines.ToLocal(t.DueAt).ToString("ddd d MMM HH:mm", swedish)}");
        return "Öppna ärenden:\n" + string.Join("\n", lines);
    }

    /// <summary>The ticket whose card thread a Teams conversation is (<c>19:…;messageid=…</c>).</summary>
    public async Task<string?> FindByThreadAsync(string conversationId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Tickets.AsNoTracking().Where(t => t.AdvisorConversationId == conversationId && t.AdvisorConversationId != null)
            .Select(t => t.Number).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The tickets an advisor has now, newest first.</summary>
    public async Task<IReadOnlyList<string>> LiveTicketsOfAsync(long advisorId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Tickets.AsNoTracking().Where(t => t.ClaimedByAdvisorId == advisorId && t.Status == TicketStatus.Claimed)
            .OrderByDescending(t => t.Id).Select(t => t.Number).ToListAsync(cancellationToken);
    }

    /// <summary>A ticket with its audit history, for rendering its card.</summary>
    public async Task<(Ticket Ticket, IReadOnlyList<TicketHistoryLine> History)?> LoadAsync(string number, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Tickets.AsNoTracking().SingleOrDefaultAsync(t => t.Number == number, cancellationToken);
        return ticket is null ? null : (ticket, await HistoryAsync(db, ticket.Id, cancellationToken));
    }

    /// <summary>Writes a refused attempt to the audit table (who tried what; never message text).</summary>
    public async Task AuditRefusalAsync(string? number, string source, long? advisorId, string reason, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticketId = number is null ? null : await db.Tickets.Where(t => t.Number == number).Select(t => (long?)t.Id).FirstOrDefaultAsync(cancellationToken);
        if (ticketId is null)
        {
            return;
        }

        db.TicketEvents.Add(new TicketEvent { TicketId = ticketId.Value, At = time.GetUtcNow(), Action = "refused", Source = source, AdvisorId = advisorId, Detail = reason.Length > 200 ? reason[..200] : reason });
        await db.SaveChangesAsync(cancellationToken);
    }

    internal static async Task<IReadOnlyList<TicketHistoryLine>> HistoryAsync(BotDbContext db, long ticketId, CancellationToken cancellationToken)
    {
        var rows = await (from e in db.TicketEvents.AsNoTracking()
                          where e.TicketId == ticketId && e.Action != "relayed" && e.Action != "refused"
                          join a in db.Advisors.AsNoTracking() on e.AdvisorId equals a.Id into advisors
                          from a in advisors.DefaultIfEmpty()
                          orderby e.Id
                          select new { e.At, e.Action, Name = a != null ? a.Name : null, Organisation = a != null ? a.OrganisationId : null, e.Detail })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new TicketHistoryLine(r.At, r.Action, r.Name, r.Organisation, r.Detail))];
    }

    internal static void QueueCardUpdate(BotDbContext db, Ticket ticket, DateTimeOffset now) =>
        db.Outbox.Add(NewMessage(OutboxKinds.AdvisorCardUpdate, $"card-{ticket.Number}-v{ticket.Version}", AdvisorPartition(ticket.Number), new TicketPayload(ticket.Number), now));

    internal static OutboxMessage NewMessage<T>(string kind, string key, string? partition, T payload, DateTimeOffset now) => new()
    {
        Kind = kind,
        IdempotencyKey = key,
        Partition = partition,
        Payload = JsonSerializer.Serialize(payload),
        CreatedAt = now,
        NextAttemptAt = now,
    };

    private static void Claim(Ticket ticket, Advisor advisor, DateTimeOffset now)
    {
        ticket.Status = TicketStatus.Claimed;
        ticket.ClaimedAt = now;
        ticket.ClaimedByAdvisorId = advisor.Id;
        ticket.AssignedOrganisationId = advisor.OrganisationId;
    }

    private static void AddEvent(BotDbContext db, Ticket ticket, string action, AdvisorActor actor, DateTimeOffset now, string? detail) =>
        db.TicketEvents.Add(new TicketEvent { TicketId = ticket.Id, At = now, Action = action, Source = actor.Source, AdvisorId = actor.Advisor.Id, Detail = detail });

    private static void QueueCompany(BotDbContext db, Ticket ticket, string what, string text, DateTimeOffset now, (string Sv, string En)? email)
    {
        var key = $"company-{ticket.Number}-v{ticket.Version + 1}-{what}";
        db.Outbox.Add(NewMessage(OutboxKinds.CompanyMessage, key, CompanyPartition(ticket.Number), new TicketTextPayload(ticket.Number, text), now));
        if (email is { } subjects && !string.IsNullOrWhiteSpace(ticket.Email))
        {
            var payload = CompanyNotices.Email(ticket, string.Format(System.Globalization.CultureInfo.InvariantCulture, subjects.Sv, ticket.Number), string.Format(System.Globalization.CultureInfo.InvariantCulture, subjects.En, ticket.Number), text);
            db.Outbox.Add(NewMessage(OutboxKinds.TicketEmail, "email-" + key, null, payload, now));
        }
    }

    private static string Clip(string text) => text.Length <= 3000 ? text : string.Concat(text.AsSpan(0, 2999), "…");
}
