using ExportCenter.Knowledge.Entities;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Understanding;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Knowledge;

/// <summary>Loads the knowledge base at start-up (a broken file stops the bot) and its understanding pipeline, trained or read from a stored model.</summary>
public static partial class KnowledgeBaseExtensions
{
    public static IHostApplicationBuilder AddKnowledgeBase(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<KnowledgeOptions>()
            .Bind(builder.Configuration.GetSection(KnowledgeOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<KnowledgeOptions>>().Value;
            var today = DateOnly.FromDateTime(sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
            var load = KnowledgeBaseLoader.Load(ResolveFolder(options), today, options.ReviewInterval);
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KnowledgeBaseExtensions));
            if (load.StaleEntries.Count > 0)
            {
                LogStale(logger, load.StaleEntries.Count, string.Join("; ", load.StaleEntries));
            }

            return load.KnowledgeBase;
        });
        builder.Services.AddSingleton<StandardEntityRecognizers>();
        builder.Services.AddSingleton<EntityExtractor>();
        builder.Services.AddSingleton<ExportCenter.Knowledge.Privacy.LocalPiiMasker>();
        var language = builder.Configuration.GetSection(Language.AzureLanguageOptions.SectionName).Get<Language.AzureLanguageOptions>() ?? new();
        builder.Services.AddOptions<Language.AzureLanguageOptions>()
            .Bind(builder.Configuration.GetSection(Language.AzureLanguageOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.Problem() is null, language.Problem() ?? "Language settings are not valid.")
            .ValidateOnStart();
        if (language.IsAzure)
        {
            // Only when the region turns it on: company text then goes to its own Azure AI Language resource (EU region).
            builder.Services.AddSingleton<Language.AzureLanguageClient>(sp => new(sp.GetRequiredService<IOptions<Language.AzureLanguageOptions>>()));
            builder.Services.AddSingleton<ExportCenter.Knowledge.Privacy.IPiiMasker, Language.AzurePiiMasker>();
            builder.Services.AddSingleton<ExportCenter.Knowledge.Language.ILanguageDetector>(sp => new Language.AzureLanguageDetector(
                sp.GetRequiredService<Language.AzureLanguageClient>(), ExportCenter.Knowledge.Language.RegionLanguageDetector.Shared, sp.GetRequiredService<ILogger<Language.AzureLanguageDetector>>(),
                sp.GetRequiredService<ExportCenter.Knowledge.Privacy.LocalPiiMasker>()));
        }
        else
        {
            builder.Services.AddSingleton<ExportCenter.Knowledge.Privacy.IPiiMasker>(sp => sp.GetRequiredService<ExportCenter.Knowledge.Privacy.LocalPiiMasker>());
        }

        builder.Services.AddSingleton<UnderstandingModelSource>();
        builder.Services.AddSingleton(sp => MessageUnderstanding.FromModel(
            sp.GetRequiredService<ExportCenter.Knowledge.KnowledgeBase.KnowledgeBase>(),
            sp.GetRequiredService<UnderstandingModelSource>().Load(),
            sp.GetRequiredService<EntityExtractor>(),
            languages: sp.GetService<ExportCenter.Knowledge.Language.ILanguageDetector>()));
        builder.Services.AddHealthChecks().AddCheck<KnowledgeHealthCheck>("knowledgeBase");
        return builder;
    }

    /// <summary>
    /// Loads the knowledge base with its model (trained only when no stored one fits), so that a broken knowledge file
    /// stops start-up with its message; it runs on the thread pool while the storage starts, which waits mostly on the
    /// database. The entity recognisers are built when the first activity arrives (<see cref="StandardEntityRecognizers.Prepare"/>)
    /// and the language detector's models when the first message needs them: an idle bot holds neither.
    /// </summary>
    public static Task InitializeKnowledgeBaseAsync(this IServiceProvider services) =>
        Task.Run(() => services.GetRequiredService<MessageUnderstanding>());

    public static string ResolveFolder(KnowledgeOptions options) =>
        string.IsNullOrWhiteSpace(options.Path) ? KnowledgeBaseLoader.FindDataFolder() : options.Path;

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "{Count} knowledge-base entries are past their review date: {Entries}")]
    private static partial void LogStale(ILogger logger, int count, string entries);

    private sealed class KnowledgeHealthCheck(IServiceProvider services) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var kb = services.GetRequiredService<ExportCenter.Knowledge.KnowledgeBase.KnowledgeBase>();
            return Task.FromResult(HealthCheckResult.Healthy($"{kb.Topics.Count} topics, {kb.Organisations.Count} organisations."));
        }
    }
}
