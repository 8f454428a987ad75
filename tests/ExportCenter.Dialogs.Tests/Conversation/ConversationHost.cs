using ExportCenter.Dialogs.Conversation;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Testing;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportCenter.Dialogs.Tests.Conversation;

/// <summary>
/// The company-facing conversation on Bot Builder's TestAdapter, without the host: in-memory conversation state,
/// the repository's knowledge base with the pipeline trained once per test process, and a fake ticket system.
/// A test that reads or replaces the saved state itself passes the storage.
/// </summary>
public sealed class ConversationHost
{
    private readonly ExportCenterConversation _conversation;

    public ConversationHost(FakeTickets? tickets = null, IStorage? storage = null)
    {
        Tickets = tickets ?? new FakeTickets();
        Feedback = new FakeFeedback();
        Records = new FakeAnswerRecords();
        Privacy = new FakePrivacyRequests();
        _conversation = new ExportCenterConversation(
            new ConversationState(storage ?? new MemoryStorage()),
            Knowledge,
            TrainedUnderstanding.Pipeline,
            Tickets,
            Feedback,
            Records,
            Privacy,
            NullLogger<ExportCenterConversation>.Instance);
    }

    public KnowledgeBase Knowledge { get; } = TrainedUnderstanding.KnowledgeBase;

    public FakeTickets Tickets { get; }

    /// <summary>The answers to "did this help?" the conversation kept.</summary>
    public FakeFeedback Feedback { get; }

    /// <summary>The answer audit and the unanswered questions the conversation recorded.</summary>
    public FakeAnswerRecords Records { get; }

    /// <summary>The privacy requests the conversation passed on.</summary>
    public FakePrivacyRequests Privacy { get; }

    /// <summary>A new conversation driven one message at a time, collecting every reply.</summary>
    public ChatSession Chat(string locale = "sv-SE") =>
        new(new TestAdapter(TestAdapter.CreateConversation(Guid.NewGuid().ToString("N"))) { Locale = locale }, _conversation.OnMessageAsync);

    /// <summary>A transcript in a new conversation whose messages carry <paramref name="locale"/>, as Web Chat sends the page's language.</summary>
    public TestFlow Flow(string locale = "sv-SE") => Flow(Adapter(locale));

    /// <summary>A transcript on <paramref name="adapter"/>, for a test that reads the adapter's replies itself.</summary>
    public TestFlow Flow(TestAdapter adapter) => new(adapter, _conversation.OnMessageAsync);

    /// <summary>The adapter of a new conversation whose messages carry <paramref name="locale"/>.</summary>
    public static TestAdapter Adapter(string locale) =>
        new(TestAdapter.CreateConversation(Guid.NewGuid().ToString("N"))) { Locale = locale };
}
