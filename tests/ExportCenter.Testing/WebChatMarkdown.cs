using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ExportCenter.Testing;

/// <summary>
/// What Web Chat makes of markdown: render-markdown.js runs markdown-it from the repository's npm packages with
/// Web Chat's own options (links, bare web addresses, HTML and typography on). One <c>node</c> process per call.
/// </summary>
public static partial class WebChatMarkdown
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The HTML Web Chat renders for each markdown text, in order.</summary>
    public static async Task<IReadOnlyList<string>> RenderAsync(IReadOnlyList<string> markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var start = new ProcessStartInfo("node", [Path.Combine(AppContext.BaseDirectory, "render-markdown.js")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node could not be started: scripts/test.sh installs Node.js.");
        using var timeout = new CancellationTokenSource(Timeout);
        await node.StandardInput.WriteAsync(JsonSerializer.Serialize(markdown).AsMemory(), timeout.Token);
        node.StandardInput.Close();
        var output = node.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = node.StandardError.ReadToEndAsync(timeout.Token);
        await node.WaitForExitAsync(timeout.Token);
        return node.ExitCode == 0
            ? JsonSerializer.Deserialize<List<string>>(await output) ?? throw new InvalidOperationException("render-markdown.js answered null.")
            : throw new InvalidOperationException($"render-markdown.js failed ({node.ExitCode}): {await error}");
    }

    /// <summary>The HTML elements in rendered markdown, by name ("p", "a", "strong" ...), in order.</summary>
    public static IReadOnlyList<string> Elements(string html) =>
        [.. OpeningTag().Matches(html).Select(m => m.Groups["name"].Value.ToLowerInvariant())];

    /// <summary>The text a reader sees in rendered markdown: the tags removed, line breaks kept, entities decoded.</summary>
    public static string VisibleText(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var text = LineBreak().Replace(html, "\n");
        return WebUtility.HtmlDecode(AnyTag().Replace(text, string.Empty)).Trim();
    }

    [GeneratedRegex(@"<(?<name>[a-zA-Z][a-zA-Z0-9]*)\b")]
    private static partial Regex OpeningTag();

    [GeneratedRegex(@"<br\s*/?>\n?")]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex AnyTag();
}
