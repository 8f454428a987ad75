using System.Security.Cryptography;
using System.Text;
using ExportCenter.Bot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Channels.DirectLine;

/// <summary>
/// The channel's signing keys. The master key comes from configuration or, when none is configured, is
/// generated once and kept in the database so that tokens and visitor cookies survive restarts and are
/// shared by every instance on the same database. Each use gets its own derived key.
/// </summary>
public sealed class ChannelKeyRing(IOptions<DirectLineOptions> options, IDbContextFactory<BotDbContext> dbFactory, TimeProvider time)
{
    private const string MasterKeyName = "directline-master";
    private byte[]? _tokenKey;
    private byte[]? _visitorKey;
    private byte[]? _clientAddressKey;

    /// <summary>Key that signs Direct Line tokens.</summary>
    public byte[] TokenKey => _tokenKey ?? throw new InvalidOperationException("The channel key ring has not been loaded; call LoadAsync at start-up.");

    /// <summary>Key that signs visitor cookies.</summary>
    public byte[] VisitorKey => _visitorKey ?? throw new InvalidOperationException("The channel key ring has not been loaded; call LoadAsync at start-up.");

    /// <summary>Key that turns a client address into an opaque key (<see cref="ClientAddressKey"/>).</summary>
    public byte[] ClientAddressKey => _clientAddressKey ?? throw new InvalidOperationException("The channel key ring has not been loaded; call LoadAsync at start-up.");

    /// <summary>Loads (or creates) the master key and derives the purpose keys.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var master = options.Value.TokenSigningKey is { Length: > 0 } configured
            ? DecodeConfiguredKey(configured)
            : await LoadOrCreateStoredKeyAsync(cancellationToken);
        _tokenKey = Derive(master, "directline-token");
        _visitorKey = Derive(master, "visitor-cookie");
        _clientAddressKey = Derive(master, "client-address");
    }

    private static byte[] DecodeConfiguredKey(string configured)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(configured);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException("DirectLine:TokenSigningKey must be base64 (e.g. `openssl rand -base64 32`).", ex);
        }

        return key.Length >= 32
            ? key
            : throw new InvalidOperationException($"DirectLine:TokenSigningKey must decode to at least 32 bytes; it has {key.Length}.");
    }

    private async Task<byte[]> LoadOrCreateStoredKeyAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.SigningKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Name == MasterKeyName, cancellationToken);
        if (stored is not null)
        {
            return stored.Value;
        }

        db.SigningKeys.Add(new SigningKey { Name = MasterKeyName, Value = RandomNumberGenerator.GetBytes(32), CreatedAt = time.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance created it first; use theirs.
        }

        await using var reread = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await reread.SigningKeys.AsNoTracking().SingleAsync(k => k.Name == MasterKeyName, cancellationToken)).Value;
    }

    private static byte[] Derive(byte[] master, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, master, 32, salt: [], info: Encoding.UTF8.GetBytes(purpose));
}
