using ExportCenter.Bot.Channels.BotFramework;
using ExportCenter.Dialogs.Cards;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Schema;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;

namespace ExportCenter.Bot.Tests.BotFramework;

/// <summary>
/// A reply written with the kept connector clients' resolver is, byte for byte, what the stock ConnectorClient's
/// settings write: the card's JSON content is written as it is instead of through the SDK's copying converter, and any
/// other content still goes through that converter.
/// </summary>
public sealed class ConnectorContractResolverTests
{
    public static TheoryData<string> Contents() => ["card", "jobject", "memory stream", "plain object", "string"];

    [Theory]
    [MemberData(nameof(Contents))]
    public void AReply_IsWrittenAsTheStockSettingsWriteIt(string content)
    {
        var reply = Activity.CreateMessageActivity();
        reply.Text = "Så här gör ni: \"EORI\" </script> ✓";
        reply.Attachments = [new Attachment { ContentType = AdaptiveCard.ContentType, Content = Content(content) }];

        Assert.Equal(Write(reply, new DefaultContractResolver()), Write(reply, new ConnectorContractResolver()));
    }

    private static AdaptiveCard Card() =>
        new AdaptiveCard().AddText("Tullen och EORI-numret", ExportCenter.Dialogs.Cards.TextStyle.Heading).AddText("Ni behöver ett EORI-nummer från Tullverket.");

    private static object Content(string kind) => kind switch
    {
        "card" => Card().ToContent(),
        "jobject" => new JObject { ["type"] = "AdaptiveCard", ["body"] = new JArray(new JObject { ["type"] = "TextBlock", ["text"] = "Hej ✓" }) },
        "memory stream" => new Dictionary<string, object> { ["file"] = new MemoryStream([1, 2, 3]) },
        "plain object" => new { type = "AdaptiveCard", version = "1.5", body = new[] { new { type = "TextBlock", text = "Hej" } } },
        _ => "text content",
    };

    private static string Write(IMessageActivity activity, IContractResolver resolver)
    {
        using var client = new ConnectorClient(new Uri("http://127.0.0.1/"), new Microsoft.Bot.Connector.Authentication.MicrosoftAppCredentials(string.Empty, string.Empty), new HttpClient());
        var settings = client.SerializationSettings;
        settings.ContractResolver = resolver;
        return Microsoft.Rest.Serialization.SafeJsonConvert.SerializeObject(activity, settings);
    }
}
