using ExportCenter.Knowledge.Language;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Dialogs.DialogLayer;

/// <summary>
/// A dialog of prompts over a typed state: it asks each question in turn, validates the answer, asks
/// again with a hint when the answer is not valid, and gives up after a number of retries (the caller then
/// offers a person). Questions whose answer is already known can be skipped.
/// </summary>
/// <typeparam name="TState">The dialog's typed state.</typeparam>
public sealed class PromptDialog<TState> : IDialog
    where TState : class, new()
{
    private readonly IReadOnlyList<IPromptStep<TState>> _steps;
    private readonly Func<ITurnContext, TState, CancellationToken, Task> _onComplete;
    private readonly Func<ITurnContext, TState, CancellationToken, Task> _onGiveUp;
    private readonly Func<ITurnContext, ConversationLanguage> _language;

    /// <summary>Creates the dialog.</summary>
    /// <param name="id">The dialog id.</param>
    /// <param name="language">The conversation's language for this turn.</param>
    /// <param name="steps">The questions, in order.</param>
    /// <param name="onComplete">Runs when every question is answered.</param>
    /// <param name="onGiveUp">Runs when an answer stayed invalid after the retries.</param>
    public PromptDialog(
        string id,
        Func<ITurnContext, ConversationLanguage> language,
        IReadOnlyList<IPromptStep<TState>> steps,
        Func<ITurnContext, TState, CancellationToken, Task> onComplete,
        Func<ITurnContext, TState, CancellationToken, Task> onGiveUp)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        Id = id;
        _language = language;
        _steps = steps;
        _onComplete = onComplete;
        _onGiveUp = onGiveUp;
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <summary>Invalid answers to one question before the dialog gives up.</summary>
    public int MaxRetries { get; init; } = 2;

    /// <inheritdoc />
    public Task<DialogStatus> BeginAsync(DialogContext context, DialogFrame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(frame);
        frame.Step = -1;
        return AskNextAsync(context, frame, Read(frame), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<DialogStatus> ContinueAsync(DialogContext context, DialogFrame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(frame);
        var state = Read(frame);
        var step = _steps[frame.Step];
        var language = _language(context.Turn);
        if (step.TryAccept(context.Turn.Activity, state))
        {
            frame.Retries = 0;
            return await AskNextAsync(context, frame, state, cancellationToken);
        }

        frame.Retries++;
        if (frame.Retries > MaxRetries)
        {
            // Nothing the company gave is lost to the limit: the step keeps the answer as written or skips
            // itself where it can; only a step that cannot (consent) ends the dialog.
            if (step.TryKeepAfterRetries(context.Turn.Activity, language, state))
            {
                frame.Retries = 0;
                return await AskNextAsync(context, frame, state, cancellationToken);
            }

            await _onGiveUp(context.Turn, state, cancellationToken);
            return DialogStatus.Complete;
        }

        await context.Turn.SendActivityAsync(step.Retry(language, state), cancellationToken);
        return DialogStatus.Waiting;
    }

    /// <inheritdoc />
    public Task RepromptAsync(DialogContext context, DialogFrame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(frame);
        return context.Turn.SendActivityAsync(_steps[frame.Step].Ask(_language(context.Turn), Read(frame)), cancellationToken);
    }

    private async Task<DialogStatus> AskNextAsync(DialogContext context, DialogFrame frame, TState state, CancellationToken cancellationToken)
    {
        var language = _language(context.Turn);
        do
        {
            frame.Step++;
        }
        while (frame.Step < _steps.Count && !_steps[frame.Step].ShouldAsk(state));

        frame.State = JObject.FromObject(state);
        if (frame.Step >= _steps.Count)
        {
            await _onComplete(context.Turn, state, cancellationToken);
            return DialogStatus.Complete;
        }

        await context.Turn.SendActivityAsync(_steps[frame.Step].Ask(language, state), cancellationToken);
        return DialogStatus.Waiting;
    }

    private static TState Read(DialogFrame frame) => frame.State.ToObject<TState>() ?? new TState();
}

/// <summary>One question of a <see cref="PromptDialog{TState}"/>.</summary>
/// <typeparam name="TState">The dialog's typed state.</typeparam>
public interface IPromptStep<in TState>
{
    /// <summary>False when the answer is already known and the question is skipped.</summary>
    bool ShouldAsk(TState state);

    /// <summary>The question.</summary>
    IActivity Ask(ConversationLanguage language, TState state);

    /// <summary>The question again, with what was wrong.</summary>
    IActivity Retry(ConversationLanguage language, TState state);

    /// <summary>After the last retry: keeps the answer as written, or skips the question; false when neither is possible.</summary>
    bool TryKeepAfterRetries(IActivity answer, ConversationLanguage language, TState state);

    /// <summary>Reads the answer into the state; false when it is not valid.</summary>
    bool TryAccept(IActivity answer, TState state);
}

/// <summary>A question answered by typing (or a suggested action) and read by a recogniser.</summary>
/// <typeparam name="TState">The dialog's typed state.</typeparam>
/// <typeparam name="T">The answer's type.</typeparam>
public sealed class PromptStep<TState, T> : IPromptStep<TState>
{
    /// <summary>The question in each language.</summary>
    public required Func<ConversationLanguage, TState, string> Question { get; init; }

    /// <summary>The hint when the answer was not valid.</summary>
    public required Func<ConversationLanguage, string> Hint { get; init; }

    /// <summary>Reads the answer.</summary>
    public required AnswerRecognizer<T> Recognizer { get; init; }

    /// <summary>Stores the answer.</summary>
    public required Action<TState, T> Store { get; init; }

    /// <summary>When to ask (default: always).</summary>
    public Func<TState, bool> When { get; init; } = _ => true;

    /// <summary>Buttons offered with the question (suggested actions).</summary>
    public Func<ConversationLanguage, IReadOnlyList<string>>? Choices { get; init; }

    /// <inheritdoc />
    public bool ShouldAsk(TState state) => When(state);

    /// <inheritdoc />
    public IActivity Ask(ConversationLanguage language, TState state) => Message(Question(language, state), language);

    /// <inheritdoc />
    public IActivity Retry(ConversationLanguage language, TState state) => Message(Hint(language) + " " + Question(language, state), language);

    /// <summary>
    /// What to do with an answer the recognizer still refuses after the retries: keep it as written (an
    /// unknown municipality), or skip an optional question. Return false when neither fits; without it the
    /// dialog gives up.
    /// </summary>
    public Func<string, ConversationLanguage, TState, bool>? AfterRetries { get; init; }

    /// <inheritdoc />
    public bool TryKeepAfterRetries(IActivity answer, ConversationLanguage language, TState state) =>
        AfterRetries is not null && AfterRetries((answer as IMessageActivity)?.Text?.Trim() ?? string.Empty, language, state);

    /// <inheritdoc />
    public bool TryAccept(IActivity answer, TState state)
    {
        var text = (answer as IMessageActivity)?.Text;
        if (string.IsNullOrWhiteSpace(text) || !Recognizer(text, out var value))
        {
            return false;
        }

        Store(state, value);
        return true;
    }

    private Activity Message(string text, ConversationLanguage language)
    {
        var message = (Activity)(Choices is null
            ? MessageFactory.Text(text)
            : MessageFactory.SuggestedActions(Choices(language), text, ssml: null, inputHint: null));
        message.TextFormat = TextFormatTypes.Plain;
        message.Locale = language.ToLocale();
        return message;
    }
}
