using System.Reflection;
using Microsoft.Bot.Schema;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;

namespace ExportCenter.Bot.Channels.BotFramework;

/// <summary>
/// The contract resolver every kept connector client shares: Newtonsoft's default, as the stock ConnectorClient uses,
/// but for an attachment's content that is already JSON (a card's <c>CardContent</c>, or any JObject). The SDK's
/// converter for attachment content walks such a value looking for memory streams, copies it into a new token tree
/// and writes the copy; that was 4 % of a turn's CPU for the answer cards. It is written as it is, which is the same JSON.
/// Any other content (a memory stream, a plain object) still goes through the SDK's converter.
/// </summary>
internal sealed class ConnectorContractResolver : DefaultContractResolver
{
    protected override JsonProperty CreateProperty(MemberInfo member, MemberSerialization memberSerialization)
    {
        var property = base.CreateProperty(member, memberSerialization);
        if (member.DeclaringType == typeof(Attachment) && member.Name == nameof(Attachment.Content) && property.Converter is { } sdk)
        {
            property.Converter = new TokenContentConverter(sdk);
        }

        return property;
    }

    private sealed class TokenContentConverter(JsonConverter sdk) : JsonConverter
    {
        public override bool CanRead => sdk.CanRead;

        public override bool CanConvert(Type objectType) => sdk.CanConvert(objectType);

        public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer) =>
            sdk.ReadJson(reader, objectType, existingValue, serializer);

        public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer)
        {
            if (value is JToken token)
            {
                token.WriteTo(writer, [.. serializer.Converters]);
                return;
            }

            sdk.WriteJson(writer, value, serializer);
        }
    }
}
