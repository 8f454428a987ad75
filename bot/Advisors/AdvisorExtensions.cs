using ExportCenter.Bot.Outbox;
using ExportCenter.Knowledge.KnowledgeBase;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Advisors;

/// <summary>Registers the advisors' side: directory, channel registry, desk, delivery, SLA monitor, page sign-in.</summary>
public static partial class AdvisorExtensions
{
    public static IHostApplicationBuilder AddAdvisors(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdvisorOptions>().Bind(builder.Configuration.GetSection(AdvisorOptions.SectionName)).ValidateDataAnnotations()
            .Validate(o => System.ComponentModel.DataAnnotations.Validator.TryValidateObject(o.SignIn, new(o.SignIn), null, validateAllProperties: true), "Advisors:SignIn: a limit is out of range (failures 1 or more, window and lockout between 10 seconds and a day).")
            .ValidateOnStart();
        builder.Services.AddOptions<Channels.Teams.TeamsOptions>().Bind(builder.Configuration.GetSection(Channels.Teams.TeamsOptions.SectionName))
            .Validate(o => string.IsNullOrWhiteSpace(o.ChannelId) || o.Configured, "Teams:ChannelId needs Teams:TenantId and Teams:TeamId.")
            .Validate(o => Uri.TryCreate(o.ServiceUrl, UriKind.Absolute, out _), "Teams:ServiceUrl must be an absolute URL.")
            .ValidateOnStart();
        builder.Services.AddSingleton<AdvisorDirectory>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Identity.IPasswordHasher<Advisor>, Microsoft.AspNetCore.Identity.PasswordHasher<Advisor>>();
        builder.Services.AddSingleton<AdvisorSessions>();
        builder.Services.AddSingleton<Channels.DirectLine.IDirectLineActorCheck>(sp => sp.GetRequiredService<AdvisorSessions>());
        builder.Services.AddSingleton<SignInLimiter>();
        builder.Services.AddSingleton<Channels.AdvisorChannelRegistry>();
        builder.Services.AddSingleton<Channels.ProactiveMessenger>();
        builder.Services.AddSingleton<Channels.Teams.TeamsGate>();
        builder.Services.AddSingleton<AdvisorDelivery>();
        builder.Services.AddSingleton<AdvisorAnswers>();
        builder.Services.AddSingleton<AdvisorPageHistory>();
        builder.Services.AddSingleton<AdvisorChannelMove>();
        builder.Services.AddSingleton<TeamsAdvisorTurns>();
        builder.Services.AddSingleton<LocalAdvisorTurns>();
        builder.Services.AddSingleton<AdvisorTurns>();
        foreach (var kind in new[] { OutboxKinds.AdvisorCardPost, OutboxKinds.AdvisorCardUpdate, OutboxKinds.AdvisorMessage, OutboxKinds.CompanyMessage, OutboxKinds.AdvisorCardRedact })
        {
            builder.Services.AddSingleton<IOutboxHandler>(sp => new AdvisorOutboxHandler(kind, sp.GetRequiredService<AdvisorDelivery>()));
        }

        var lifetime = builder.Configuration.GetSection(AdvisorOptions.SectionName).Get<AdvisorOptions>()?.SessionLifetime ?? TimeSpan.FromHours(12);
        builder.Services.AddAdvisorSignIn(lifetime);
        return builder;
    }

    /// <summary>
    /// Seeds the directory, registers a configured Teams channel and, on a start where no local advisor can
    /// sign in yet, prints a one-time sign-in link for the advisors' page to the console (never to the log).
    /// </summary>
    public static async Task InitializeAdvisorsAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<AdvisorOptions>>().Value;
        var knowledge = app.Services.GetRequiredService<KnowledgeBase>();
        if (!knowledge.OrganisationsById.ContainsKey(options.FirstLocalOrganisation))
        {
            throw new InvalidOperationException($"Advisors:FirstLocalOrganisation '{options.FirstLocalOrganisation}' is not an organisation id of the knowledge base.");
        }

        await app.Services.GetRequiredService<AdvisorDirectory>().SeedAsync(CancellationToken.None);
        await app.Services.GetRequiredService<Channels.AdvisorChannelRegistry>().RegisterConfiguredAsync(CancellationToken.None);
        if (!options.LocalPage)
        {
            return;
        }

        var signIn = await app.Services.GetRequiredService<AdvisorDirectory>().EnsureLocalSignInAsync(CancellationToken.None);
        if (signIn is { } link)
        {
            app.Lifetime.ApplicationStarted.Register(() =>
            {
                var address = Hosting.StartupLog.Browsable(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5180");
                Console.WriteLine();
                Console.WriteLine($"Advisors' page: sign in once as '{link.Login}' with this link (valid {options.SignInLinkLifetime.TotalHours:0} h), then choose a password:");
                Console.WriteLine($"  {address}/advisors/signin#token={link.Token}");
                Console.WriteLine();
            });
        }
    }
}
