using System.ComponentModel.DataAnnotations;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ExportCenter.Bot.Outbox;

/// <summary>Email settings (section "Email"). With no SMTP host the messages are written to a folder.</summary>
public sealed class EmailOptions
{
    public const string SectionName = "Email";

    /// <summary>The SMTP server; empty writes .eml files to <see cref="PickupFolder"/> instead.</summary>
    public string? SmtpHost { get; set; }

    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 587;

    /// <summary>
    /// Without credentials: use STARTTLS when the server offers it. With a <see cref="Username"/> STARTTLS is
    /// always required, whatever this says, so the password never crosses an unencrypted connection.
    /// </summary>
    public bool UseStartTls { get; set; } = true;

    public string? Username { get; set; }

    public string? Password { get; set; }

    [Required]
    public string From { get; set; } = "Exportcentrum Dalarna <noreply@exportcentrum.invalid>";

    /// <summary>Where messages go when no SMTP host is set.</summary>
    [Required]
    public string PickupFolder { get; set; } = "data/mail";
}

/// <summary>Sends one email; throws when it could not.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailPayload email, string messageId, CancellationToken cancellationToken);
}

/// <summary>Sends through SMTP (MailKit), or writes to the pickup folder when no server is configured.</summary>
public sealed class EmailSender(IOptions<EmailOptions> options) : IEmailSender
{
    public async Task SendAsync(EmailPayload email, string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        var o = options.Value;
        var message = new MimeMessage { Subject = email.Subject, MessageId = messageId, Body = new TextPart("plain") { Text = email.Body } };
        message.From.Add(MailboxAddress.Parse(o.From));
        message.To.Add(MailboxAddress.Parse(email.To));

        if (string.IsNullOrWhiteSpace(o.SmtpHost))
        {
            Directory.CreateDirectory(o.PickupFolder);
            // The message id is the file name, so a repeated send overwrites instead of duplicating.
            var path = Path.Combine(o.PickupFolder, string.Concat(messageId.Split(Path.GetInvalidFileNameChars())) + ".eml");
            await message.WriteToAsync(path, cancellationToken);
            return;
        }

        using var smtp = new SmtpClient { Timeout = 15_000 };
        await smtp.ConnectAsync(o.SmtpHost, o.SmtpPort, Security(o), cancellationToken);
        if (o.Username is { Length: > 0 } username)
        {
            await smtp.AuthenticateAsync(username, o.Password ?? string.Empty, cancellationToken);
        }

        await smtp.SendAsync(message, cancellationToken);
        await smtp.DisconnectAsync(quit: true, cancellationToken);
    }

    /// <summary>
    /// How the connection is secured. With credentials STARTTLS is required (MailKit fails when the server does not
    /// offer it, before anything is sent): "when available" would send the password in clear text to a server, or
    /// to anyone in between, that simply leaves STARTTLS out.
    /// </summary>
    private static SecureSocketOptions Security(EmailOptions o) => HasCredentials(o)
        ? SecureSocketOptions.StartTls
        : o.UseStartTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None;

    private static bool HasCredentials(EmailOptions o) => !string.IsNullOrEmpty(o.Username);
}
