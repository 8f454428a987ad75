using System.Text.RegularExpressions;
using ExportCenter.Knowledge.KnowledgeBase;

namespace ExportCenter.Knowledge.Understanding;

/// <summary>
/// Which facet a message asks about, whatever the topic: cost ("vad kostar det?"), time ("how long does it
/// take?"), eligibility ("vem kan söka?"), how to apply, what documents, and whom to contact. It reads the
/// folded text (lower case, å/ä/ö as a/a/o), in Swedish and English and, for the commonest phrasings, in
/// Norwegian, Danish and German.
/// </summary>
public static partial class FacetDetector
{
    /// <summary>The facet the message asks about, or null.</summary>
    public static Facet? Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = " " + string.Join(' ', TextNormalizer.Tokens(text)) + " ";
        if (Cost().IsMatch(folded))
        {
            return Facet.Cost;
        }

        if (Time().IsMatch(folded))
        {
            return Facet.Time;
        }

        if (Documents().IsMatch(folded))
        {
            return Facet.Documents;
        }

        if (Eligibility().IsMatch(folded))
        {
            return Facet.Eligibility;
        }

        if (Apply().IsMatch(folded))
        {
            return Facet.Apply;
        }

        return Contact().IsMatch(folded) ? Facet.Contact : null;
    }

    [GeneratedRegex(@" (vad|va) (kostar|kostnad)| kostar (det|de|detta|den)| kostnad(en|er|erna)? | avgift(en|er)? | pris(et)? | priset| what (does|do|will) (it|that|this) cost| how much (does|is|will|do)| cost(s)? | fee(s)? | price | (hva|hvad) koster| was kostet| kosten ", RegexOptions.CultureInvariant)]
    private static partial Regex Cost();

    [GeneratedRegex(@" hur (lang tid|lange|snabbt)| handlaggningstid| nar (far|kan) (vi|jag|man)| how (long|quickly|fast|soon)| processing time| how much time| hvor lang tid| wie lange", RegexOptions.CultureInvariant)]
    private static partial Regex Time();

    [GeneratedRegex(@" (vilka|vad for|vilken) (papper|dokument|handlingar|blanketter|underlag)| (for|vilka|med|om) (papper|dokument|handlingar|blanketter) | what (kind of )?(paperwork|papers)| (documents|paperwork) (do|are|is) | (vad|vilka) (behover|maste) (vi|jag|man) (ta med|skicka|bifoga|visa)| what (documents|papers|paperwork)| which (documents|papers|forms)| what do (we|i) need to (bring|send|show)| (hvilke|welche) (dokumenter|papirer|unterlagen)| what (will|would|do|does) (they|the bank|the lender|\w+) (want|need|expect) to see| (vad|vilka underlag) (vill|behover) (dom|de|banken|\w+) (se|ha)", RegexOptions.CultureInvariant)]
    private static partial Regex Documents();

    [GeneratedRegex(@" (vem|vilka) (kan|far) (soka|fa|anvanda|ansoka)| kan (vi|jag) (soka|fa|ansoka)| ar (vi|jag) (behoriga|berattigade|behorig|berattigad)| who (can|may) (apply|get|use)| (are|am) (we|i) eligible| eligib| qualify| can (we|i) apply| hvem kan (soke|sage)| wer kann| galler (det|detta|det aven|det ocksa) (oss|mig|for oss|for mig)| (does|would) (it|this|that) apply to (us|me)| gjelder (det|dette) (oss|meg|for oss)| gaelder (det|dette) (os|mig)| gilt (das|es) (auch )?fur uns", RegexOptions.CultureInvariant)]
    private static partial Regex Eligibility();

    [GeneratedRegex(@" hur (ansoker|soker|ansoka|soka|gar) (man|vi|jag|det till)| hur gor (man|vi|jag) (for att (ansoka|soka)|en ansokan)| ansokan | how (do|can|should) (i|we) apply| how to apply| how (do|can) (i|we) (sign up|register)| hvordan (soker|ansoger|soger)| wie (beantragen|bewerben) (wir|ich|man)| wie bewirbt man", RegexOptions.CultureInvariant)]
    private static partial Regex Apply();

    [GeneratedRegex(@" hur (far|kan) (jag|vi) tag pa (dom|dem|er|honom|henne|nagon)| hur (nar|kontaktar) (jag|vi) (dom|dem|er)| how (do|can) (i|we) (reach|contact|get hold of|get in touch with) (them|you|someone)| hvordan (kontakter|kontakte|nar|naar) (jeg|vi) (dem|dere)| vem ska (jag|vi) (ringa|kontakta)| vem (ska|kan|bor) (jag|vi) (ringa|kontakta|prata med|vanda mig till|vanda oss till)| vem (ringer|kontaktar) (jag|vi|man)| (vart|till vem) (vander|ska) (jag|vi)| (vilket|vad ar) (telefonnummer|numret)| who (do|should|can) (i|we) (call|contact|ask|talk to)| whom (do|should) (i|we) contact| (what is|what s) the (phone|telephone) number| hvem skal (jeg|vi) ringe| wen (soll|kann) ich| who can help (us|me)| vem (kan|ska) svara| who (can|will|could) answer| hvem kan svare| wer kann (das |es )?beantworten| who (decides|is responsible|handles (this|that|it))| vem (beslutar|bestammer|avgor|ansvarar|handlagger)| vart kan (jag|vi|dom|de|man) vanda (mig|oss|sig)| vart vander (man|jag|vi|dom|de) (sig|mig|oss)| vem kan hjalpa (oss|mig)| finns det (nan|nagon|nagot kontor) (pa|hos|i)| (is there|have you got) (someone|anyone|somebody) (at|in)| hvem kan hjelpe (oss|meg)| hvem kan hjaelpe (os|mig)| wer kann uns helfen", RegexOptions.CultureInvariant)]
    private static partial Regex Contact();
}
