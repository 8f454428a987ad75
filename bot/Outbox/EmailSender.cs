using System.ComponentModel.DataAnnotations;
using System.Globalization;
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

/// <summary>
/// Sends one email; throws when it could not (<see cref="OutboxPermanentFailureException"/> when the server refused it
/// for good). <c>messageId</c> is the outbox row's idempotency key, the same on every attempt, so a repeat after a crash
/// can be told from a second email.
/// </summary>
public interface IEmailSender
{
    Task SendAsync(EmailPayload email, string messageId, CancellationToken cancellationToken);
}

/// <summary>Sends through SMTP (MailKit), or writes to the pickup folder when no server is configured.</summary>
public sealed partial class EmailSender(IOptions<EmailOptions> options, ILogger<EmailSender> logger) : IEmailSender
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

        try
        {
            await smtp.SendAsync(message, cancellationToken);
        }
        catch (SmtpCommandException ex)
        {
            // The server answered the message (sender, recipient or content) with a status: 5xx refuses it for good
            // (e.g. 550 no such mailbox), 4xx asks to try again later. A failed sign-in is no SmtpCommandException and is
            // retried, since it is the bot's configuration and not this message.
            var reason = string.Create(CultureInfo.InvariantCulture, $"SMTP {(int)ex.StatusCode}");
            throw (int)ex.StatusCode >= 500 ? new OutboxPermanentFailureException(reason, ex) : new OutboxRetryException(reason, null, ex);
        }

        try
        {
            await smtp.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or SmtpProtocolException or System.Net.Sockets.SocketException)
        {
            // The server has accepted the message: a failed goodbye must not make the outbox send it a second time.
            LogQuitFailed(logger, ex.GetType().Name);
        }
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

    [LoggerMessage(EventId = 7011, Level = LogLevel.Warning, Message = "The SMTP server accepted an email but the connection did not close cleanly ({Error}); the email counts as sent.")]
    private static partial void LogQuitFailed(ILogger logger, string error);
}
