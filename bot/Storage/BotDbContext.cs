using ExportCenter.Bot.Channels.DirectLine;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ExportCenter.Bot.Storage;

/// <summary>
/// The bot's database: Direct Line history, bot state, the channel's signing keys and the Data Protection keys. One model; each
/// provider has its own subclass only so that it can carry its own set of migrations.
/// </summary>
public abstract class BotDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>The Data Protection key ring (it protects the advisors' sign-in cookie), shared by every instance.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<DirectLineConversation> DirectLineConversations => Set<DirectLineConversation>();

    public DbSet<DirectLineActivity> DirectLineActivities => Set<DirectLineActivity>();

    public DbSet<BotStateItem> BotState => Set<BotStateItem>();

    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();

    public DbSet<Tickets.Ticket> Tickets => Set<Tickets.Ticket>();

    public DbSet<Tickets.TicketCounter> TicketCounters => Set<Tickets.TicketCounter>();

    public DbSet<Outbox.OutboxMessage> Outbox => Set<Outbox.OutboxMessage>();

    public DbSet<Advisors.Advisor> Advisors => Set<Advisors.Advisor>();

    public DbSet<Channels.AdvisorChannel> AdvisorChannels => Set<Channels.AdvisorChannel>();

    public DbSet<Tickets.TicketEvent> TicketEvents => Set<Tickets.TicketEvent>();

    /// <summary>Answers to "did this help?" (topic, facet, yes/no; no message text).</summary>
    public DbSet<Conversation.AnswerFeedbackRecord> AnswerFeedback => Set<Conversation.AnswerFeedbackRecord>();

    /// <summary>The answer audit: what the bot decided on each company message, without the message.</summary>
    public DbSet<Insight.AnswerRecord> AnswerRecords => Set<Insight.AnswerRecord>();

    /// <summary>The questions the bot could not answer, masked, for insight and the knowledge-base editors.</summary>
    public DbSet<Insight.UnansweredQuestion> UnansweredQuestions => Set<Insight.UnansweredQuestion>();

    /// <summary>Companies' requests in the chat to see or erase their data (only the conversation is named).</summary>
    public DbSet<Privacy.PrivacyRequest> PrivacyRequests => Set<Privacy.PrivacyRequest>();

    /// <summary>Erasures done, with counts only.</summary>
    public DbSet<Privacy.PrivacyErasure> PrivacyErasures => Set<Privacy.PrivacyErasure>();

    /// <summary>Sign-ins on the advisors' page (the cookie and the page's tokens name one).</summary>
    public DbSet<Advisors.AdvisorPageSession> AdvisorSessions => Set<Advisors.AdvisorPageSession>();

    /// <summary>Failed sign-ins counted per login and per client address (both as keyed hashes).</summary>
    public DbSet<Advisors.SignInThrottle> SignInThrottles => Set<Advisors.SignInThrottle>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type and EF cannot compare or sort DateTimeOffset text there; store UTC ticks.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DirectLineConversation>(e =>
        {
            e.ToTable("DirectLineConversations");
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).HasMaxLength(64);
            e.Property(c => c.UserId).HasMaxLength(64);
            e.Property(c => c.Locale).HasMaxLength(35);
            e.HasIndex(c => c.LastActivityAt);
        });

        modelBuilder.Entity<DirectLineActivity>(e =>
        {
            e.ToTable("DirectLineActivities");
            e.HasKey(a => a.Id);
            e.Property(a => a.ConversationId).HasMaxLength(64);
            e.Property(a => a.ActivityId).HasMaxLength(128);
            e.Property(a => a.Type).HasMaxLength(32);
            e.Property(a => a.RetainWith).HasMaxLength(64);
            e.HasIndex(a => new { a.ConversationId, a.Sequence }).IsUnique();
            e.HasIndex(a => new { a.ConversationId, a.Timestamp });
            e.HasIndex(a => a.RetainWith);
            e.HasIndex(a => new { a.ConversationId, a.ActivityId }).IsUnique();
            e.HasOne<DirectLineConversation>().WithMany().HasForeignKey(a => a.ConversationId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<BotStateItem>(e =>
        {
            e.ToTable("BotState");
            e.HasKey(s => s.Key);
            e.Property(s => s.Key).HasMaxLength(512);
            e.Property(s => s.ETag).HasMaxLength(64).IsConcurrencyToken();
        });

        modelBuilder.Entity<Tickets.Ticket>(e =>
        {
            e.ToTable("Tickets");
            e.HasKey(t => t.Id);
            e.HasIndex(t => t.Number).IsUnique();
            e.HasIndex(t => new { t.ChannelId, t.ConversationId });
            e.HasIndex(t => new { t.Status, t.DueAt });
            e.Property(t => t.Number).HasMaxLength(32);
            e.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(t => t.TopicId).HasMaxLength(64);
            e.Property(t => t.SuggestedOrganisationId).HasMaxLength(64);
            e.Property(t => t.Language).HasMaxLength(8);
            e.Property(t => t.PreferredLanguage).HasMaxLength(8);
            e.Property(t => t.CompanyName).HasMaxLength(200);
            e.Property(t => t.OrganisationNumber).HasMaxLength(16);
            e.Property(t => t.ContactPerson).HasMaxLength(200);
            e.Property(t => t.Email).HasMaxLength(254);
            e.Property(t => t.Phone).HasMaxLength(32);
            e.Property(t => t.Municipality).HasMaxLength(64);
            e.Property(t => t.ChannelId).HasMaxLength(64);
            e.Property(t => t.ConversationId).HasMaxLength(256);
            e.Property(t => t.AssignedOrganisationId).HasMaxLength(64);
            e.Property(t => t.Outcome).HasConversion<string>().HasMaxLength(16);
            e.Property(t => t.SlaLeaseOwner).HasMaxLength(64);
            e.Property(t => t.AdvisorConversationId).HasMaxLength(256);
            e.Property(t => t.AdvisorActivityId).HasMaxLength(256);
            e.Property(t => t.Version).IsConcurrencyToken();
            e.Ignore(t => t.OrganisationId);
            e.Ignore(t => t.IsLive);
            e.HasIndex(t => t.AdvisorConversationId);
            e.Property(t => t.ClientKey).HasMaxLength(32);
            // The limits on new tickets count by client and by email address over the last hour or day.
            e.HasIndex(t => new { t.ClientKey, t.CreatedAt });
            e.HasIndex(t => new { t.Email, t.CreatedAt });
            // One ticket per handoff, however many attempts of it a crash causes; tickets without a key (NULL) do not collide.
            e.Property(t => t.HandoffKey).HasMaxLength(64);
            e.HasIndex(t => t.HandoffKey).IsUnique();
        });

        modelBuilder.Entity<Advisors.Advisor>(e =>
        {
            e.ToTable("Advisors");
            e.HasKey(a => a.Id);
            e.Property(a => a.Name).HasMaxLength(200);
            e.Property(a => a.OrganisationId).HasMaxLength(64);
            e.Property(a => a.AadObjectId).HasMaxLength(64);
            e.Property(a => a.LocalLogin).HasMaxLength(64);
            e.Property(a => a.PasswordHash).HasMaxLength(256);
            e.Property(a => a.SignInTokenHash).HasMaxLength(128);
            e.HasIndex(a => a.AadObjectId).IsUnique();
            e.HasIndex(a => a.LocalLogin).IsUnique();
        });

        modelBuilder.Entity<Channels.AdvisorChannel>(e =>
        {
            e.ToTable("AdvisorChannels");
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).HasMaxLength(32);
            e.Property(c => c.ChannelId).HasMaxLength(32);
            e.Property(c => c.ServiceUrl).HasMaxLength(512);
            e.Property(c => c.ConversationId).HasMaxLength(256);
            e.Property(c => c.TenantId).HasMaxLength(64);
            e.Property(c => c.TeamId).HasMaxLength(256);
            e.Property(c => c.Source).HasMaxLength(32);
        });

        modelBuilder.Entity<Tickets.TicketEvent>(e =>
        {
            e.ToTable("TicketEvents");
            e.HasKey(x => x.Id);
            // Typed in code, the same words in the table as before (see TicketEventNames).
            e.Property(x => x.Action).HasMaxLength(32).HasConversion(a => global::ExportCenter.Bot.Tickets.TicketEventNames.Name(a), s => global::ExportCenter.Bot.Tickets.TicketEventNames.ParseAction(s));
            e.Property(x => x.Source).HasMaxLength(32).HasConversion(a => global::ExportCenter.Bot.Tickets.TicketEventNames.Name(a), s => global::ExportCenter.Bot.Tickets.TicketEventNames.ParseSource(s));
            e.Property(x => x.Detail).HasMaxLength(256);
            e.HasIndex(x => x.TicketId);
            e.HasOne<Tickets.Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Conversation.AnswerFeedbackRecord>(e =>
        {
            e.ToTable("AnswerFeedback");
            e.HasKey(x => x.Id);
            e.Property(x => x.TopicId).HasMaxLength(64);
            e.Property(x => x.Facet).HasMaxLength(16);
            e.Property(x => x.Language).HasMaxLength(8);
            e.HasIndex(x => x.At);
        });

        modelBuilder.Entity<Insight.AnswerRecord>(e =>
        {
            e.ToTable("AnswerRecords");
            e.HasKey(x => x.Id);
            e.Property(x => x.ChannelId).HasMaxLength(64);
            e.Property(x => x.ConversationId).HasMaxLength(256);
            e.Property(x => x.Action).HasMaxLength(16);
            e.Property(x => x.Decision).HasMaxLength(16);
            e.Property(x => x.TopicId).HasMaxLength(64);
            e.Property(x => x.Facet).HasMaxLength(16);
            e.Property(x => x.OrganisationId).HasMaxLength(64);
            e.Property(x => x.Language).HasMaxLength(8);
            e.Property(x => x.KnowledgeRevision).HasMaxLength(16);
            e.Property(x => x.SecondTopicId).HasMaxLength(64);
            e.HasIndex(x => x.At);
            e.HasIndex(x => new { x.ChannelId, x.ConversationId, x.At });
        });

        modelBuilder.Entity<Insight.UnansweredQuestion>(e =>
        {
            e.ToTable("UnansweredQuestions");
            e.HasKey(x => x.Id);
            e.Property(x => x.ChannelId).HasMaxLength(64);
            e.Property(x => x.ConversationId).HasMaxLength(256);
            e.Property(x => x.Reason).HasMaxLength(16);
            e.Property(x => x.TopicId).HasMaxLength(64);
            e.Property(x => x.Language).HasMaxLength(8);
            e.Property(x => x.Text).HasMaxLength(Insight.AnswerRecordWriter.MaxTextLength);
            e.HasIndex(x => x.At);
            e.HasIndex(x => new { x.ChannelId, x.ConversationId });
        });

        modelBuilder.Entity<Privacy.PrivacyRequest>(e =>
        {
            e.ToTable("PrivacyRequests");
            e.HasKey(x => x.Id);
            e.Ignore(x => x.Reference);
            e.Property(x => x.Kind).HasMaxLength(16);
            e.Property(x => x.ChannelId).HasMaxLength(64);
            e.Property(x => x.ConversationId).HasMaxLength(256);
            e.Property(x => x.Language).HasMaxLength(8);
            e.HasIndex(x => new { x.ChannelId, x.ConversationId });
        });

        modelBuilder.Entity<Privacy.PrivacyErasure>(e =>
        {
            e.ToTable("PrivacyErasures");
            e.HasKey(x => x.Id);
            e.Property(x => x.By).HasMaxLength(16);
        });

        modelBuilder.Entity<Advisors.AdvisorPageSession>(e =>
        {
            e.ToTable("AdvisorSessions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(32);
            e.HasIndex(x => x.AdvisorId);
            e.HasIndex(x => x.ExpiresAt);
        });

        modelBuilder.Entity<Advisors.SignInThrottle>(e =>
        {
            e.ToTable("SignInThrottles");
            e.HasKey(x => x.Key);
            e.Property(x => x.Key).HasMaxLength(64);
            e.Property(x => x.Version).IsConcurrencyToken();
        });

        modelBuilder.Entity<Tickets.TicketCounter>(e =>
        {
            e.ToTable("TicketCounters");
            e.HasKey(c => c.Year);
            e.Property(c => c.Year).ValueGeneratedNever();
        });

        modelBuilder.Entity<Outbox.OutboxMessage>(e =>
        {
            e.ToTable("Outbox");
            e.HasKey(m => m.Id);
            e.HasIndex(m => m.IdempotencyKey).IsUnique();
            e.HasIndex(m => new { m.SentAt, m.NextAttemptAt });
            e.HasIndex(m => new { m.Partition, m.SentAt });
            e.Property(m => m.Partition).HasMaxLength(64);
            e.Property(m => m.Kind).HasMaxLength(64);
            e.Property(m => m.IdempotencyKey).HasMaxLength(128);
            e.Property(m => m.LeaseOwner).HasMaxLength(64);
            e.Property(m => m.LastError).HasMaxLength(256);
        });

        modelBuilder.Entity<DataProtectionKey>(e => e.ToTable("DataProtectionKeys"));

        modelBuilder.Entity<SigningKey>(e =>
        {
            e.ToTable("SigningKeys");
            e.HasKey(k => k.Name);
            e.Property(k => k.Name).HasMaxLength(64);
        });
    }
}

/// <summary>The model on SQLite (the default: a file next to the bot).</summary>
public sealed class SqliteBotDbContext(DbContextOptions<SqliteBotDbContext> options) : BotDbContext(options);

/// <summary>The model on PostgreSQL (several instances on one database).</summary>
public sealed class PostgresBotDbContext(DbContextOptions<PostgresBotDbContext> options) : BotDbContext(options);

/// <summary>One Bot Framework state item (conversation or user state), stored as JSON with an eTag.</summary>
public sealed class BotStateItem
{
    public required string Key { get; set; }

    public required string Json { get; set; }

    public required string ETag { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A secret the service generated for itself and keeps across restarts.</summary>
public sealed class SigningKey
{
    public required string Name { get; set; }

    public required byte[] Value { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
