using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace ExportCenter.Bot.Channels.DirectLine;

/// <summary>
/// Turns the address a visitor's request came from into an opaque key: a keyed hash (HMAC-SHA256 with a key
/// derived from the channel's master key), so the same address gives the same key on every instance and
/// after restarts, but the address cannot be read back from it. The raw address is never stored or logged.
/// An IPv6 address counts by its /64 network, which one household or office gets as a whole.
/// </summary>
public sealed class ClientAddressKey(ChannelKeyRing keys)
{
    private const int KeyBytes = 16;
    private const int Ipv6NetworkBytes = 8;

    /// <summary>The opaque key of an address; null when the address is not known.</summary>
    public string? For(IPAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        var hash = HMACSHA256.HashData(keys.ClientAddressKey, NetworkBytes(address));
        return Base64Url.EncodeToString(hash.AsSpan(0, KeyBytes));
    }

    private static byte[] NetworkBytes(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().GetAddressBytes();
        }

        var bytes = address.GetAddressBytes();
        return address.AddressFamily == AddressFamily.InterNetworkV6 ? bytes[..Ipv6NetworkBytes] : bytes;
    }
}
