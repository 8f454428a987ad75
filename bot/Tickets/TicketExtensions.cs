namespace ExportCenter.Bot.Tickets;

/// <summary>Registers the ticket lifecycle: settings, the deadline policy, the limits on new tickets, the store, the desk, its queries, how failed deliveries show on a ticket, and the SLA monitor.</summary>
public static class TicketExtensions
{
    public static IHostApplicationBuilder AddTickets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TicketOptions>()
            .Bind(builder.Configuration.GetSection(TicketOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "Tickets:TimeZone is not a known time zone id (e.g. Europe/Stockholm).")
            .ValidateOnStart();
        builder.Services.AddOptions<TicketLimitOptions>()
            .Bind(builder.Configuration.GetSection(TicketLimitOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<TicketDeadlinePolicy>();
        builder.Services.AddSingleton<TicketLimitPolicy>();
        builder.Services.AddSingleton<TicketStore>();
        builder.Services.AddSingleton<ExportCenter.Dialogs.Conversation.ITicketService>(sp => sp.GetRequiredService<TicketStore>());
        builder.Services.AddSingleton<TicketDesk>();
        builder.Services.AddSingleton<TicketQueries>();
        builder.Services.AddSingleton<Outbox.IOutboxFailureRecorder, TicketDeliveryFailures>();
        builder.Services.AddOptions<SlaOptions>().Bind(builder.Configuration.GetSection(SlaOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SlaMonitor>();
        builder.Services.AddHostedService<SlaWorker>();
        return builder;
    }
}
