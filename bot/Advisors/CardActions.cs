using ExportCenter.Bot.Tickets;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Bot.Advisors;

/// <summary>A card action from an Action.Execute invoke or an Action.Submit message.</summary>
public sealed record CardActionRequest(string Verb, string Number, IReadOnlyDictionary<string, string?> Inputs);

/// <summary>
/// Reads the ticket card's actions from activities (card data comes from clients, so every field is checked)
/// and carries them out at the desk.
/// </summary>
public static class CardActions
{
    /// <summary>The card action of an activity, or null when it is none of the ticket card's.</summary>
    public static CardActionRequest? Read(IActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        JObject? data;
        string? verb;
        if (activity.Type == ActivityTypes.Invoke)
        {
            var invoke = activity.AsInvokeActivity();
            if (invoke.Name != "adaptiveCard/action" || invoke.Value is not JObject value || value["action"] is not JObject action
                || Str(action, "type") != "Action.Execute")
            {
                return null;
            }

            data = action["data"] as JObject;
            verb = Str(action, "verb") ?? Str(data, Dialogs.Cards.CardSubmit.VerbKey);
        }
        else if (activity.Type == ActivityTypes.Message && activity.AsMessageActivity().Value is JObject value)
        {
            data = value;
            verb = Str(value, Dialogs.Cards.CardSubmit.VerbKey);
        }
        else
        {
            return null;
        }

        var number = Str(data, TicketCard.TicketKey);
        if (data is null || !TicketCard.Verbs.IsKnown(verb) || string.IsNullOrWhiteSpace(number))
        {
            return null;
        }

        var inputs = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in new[] { TicketCard.OrganisationInput, TicketCard.OutcomeInput, TicketCard.ReplyInput })
        {
            inputs[key] = Str(data, key);
        }

        return new CardActionRequest(verb!, number, inputs);
    }

    /// <summary>Carries out a card action at the desk.</summary>
    public static Task<DeskResult> ActAsync(this TicketDesk desk, TicketActor actor, CardActionRequest action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desk);
        ArgumentNullException.ThrowIfNull(action);
        var input = action.Inputs;
        return TicketCard.Verbs.ToVerb(action.Verb) switch
        {
            TicketVerb.Claim => desk.ClaimAsync(actor, action.Number, cancellationToken),
            TicketVerb.Reassign => desk.ReassignAsync(actor, action.Number, input.GetValueOrDefault(TicketCard.OrganisationInput), cancellationToken),
            TicketVerb.Resolve => desk.ResolveAsync(actor, action.Number, ParseOutcome(input.GetValueOrDefault(TicketCard.OutcomeInput)), cancellationToken),
            _ => desk.ReplyAsync(actor, action.Number, input.GetValueOrDefault(TicketCard.ReplyInput), cancellationToken),
        };
    }

    private static TicketOutcome? ParseOutcome(string? value) =>
        Enum.TryParse<TicketOutcome>(value, ignoreCase: true, out var outcome) && Enum.IsDefined(outcome) ? outcome : null;

    /// <summary>A string property, or null when it is missing or not a string.</summary>
    private static string? Str(JObject? source, string key) =>
        source?[key] is JValue { Type: JTokenType.String } value ? (string?)value.Value : null;
}
