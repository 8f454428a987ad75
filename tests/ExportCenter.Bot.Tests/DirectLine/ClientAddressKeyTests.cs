using System.Net;
using ExportCenter.Bot.Channels.DirectLine;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExportCenter.Bot.Tests.DirectLine;

/// <summary>The embedded channel hands the ticket system an opaque key of the client address, never the address.</summary>
public sealed class ClientAddressKeyTests
{
    [Fact]
    public async Task ATicket_KeepsAnOpaqueKeyOfTheClientAddress_NeverTheAddress()
    {
        using var app = new BotApp(new Dictionary<string, string?> { ["Outbox:Enabled"] = "false" });
        await ChatSteps.CompleteHandoffAsync(app);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        var ticket = await db.Tickets.SingleAsync();
        Assert.Equal(app.Services.GetRequiredService<ClientAddressKey>().For(IPAddress.Loopback), ticket.ClientKey);
        Assert.DoesNotContain("127.0.0.1", ticket.ClientKey!, StringComparison.Ordinal);
    }

    [Fact]
    public void AddressesOfOneIpv6Network_ShareAKey_AndAMappedIpv4AddressIsItsIpv4Address()
    {
        using var app = new BotApp();
        var keys = app.Services.GetRequiredService<ClientAddressKey>();

        Assert.Equal(keys.For(IPAddress.Parse("2001:db8:1:2::10")), keys.For(IPAddress.Parse("2001:db8:1:2:ffff::1")));
        Assert.NotEqual(keys.For(IPAddress.Parse("2001:db8:1:2::10")), keys.For(IPAddress.Parse("2001:db8:1:3::10")));
        Assert.Equal(keys.For(IPAddress.Parse("192.0.2.7")), keys.For(IPAddress.Parse("::ffff:192.0.2.7")));
        Assert.NotEqual(keys.For(IPAddress.Parse("192.0.2.7")), keys.For(IPAddress.Parse("192.0.2.8")));
        Assert.Null(keys.For(null));
    }
}
