using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace ExportCenter.Testing;

/// <summary>
/// Checks card JSON with validate-card.js (the adaptivecards parser, schema 1.5). One <c>node</c> process serves
/// every card of the test process: started on the first card, one JSON line per card each way, one card at a
/// time, killed when the test process exits. A process that fails or stops answering is killed and the next
/// card starts a new one.
/// </summary>
public static class AdaptiveCardValidator
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly StringBuilder Errors = new();
    private static Process? _node;

    static AdaptiveCardValidator() => AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();

    /// <summary>The parser's problems with the card; empty when it is valid.</summary>
    public static async Task<JsonArray> ProblemsAsync(string cardJson)
    {
        // Compact JSON has no line breaks, so the card is exactly one line of the protocol.
        var line = (JsonNode.Parse(cardJson) ?? throw new ArgumentException("The card is JSON null.", nameof(cardJson))).ToJsonString();
        await Gate.WaitAsync();
        try
        {
            var node = _node is { HasExited: false } running ? running : Start();
            string? answer;
            try
            {
                using var timeout = new CancellationTokenSource(AnswerTimeout);
                await node.StandardInput.WriteLineAsync(line.AsMemory(), timeout.Token);
                await node.StandardInput.FlushAsync(timeout.Token);
                answer = await node.StandardOutput.ReadLineAsync(timeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                Stop();
                throw new InvalidOperationException($"validate-card.js gave no answer within {AnswerTimeout.TotalSeconds:0} s ({e.GetType().Name}). Its stderr: {StandardError()}", e);
            }

            if (answer is null)
            {
                Stop();
                throw new InvalidOperationException($"validate-card.js ended without answering. Its stderr: {StandardError()}");
            }

            var result = JsonNode.Parse(answer)!.AsObject();
            return result["error"] is { } error
                ? throw new InvalidOperationException($"validate-card.js could not validate the card: {error.GetValue<string>()}")
                : result["problems"]!.AsArray();
        }
        finally
        {
            Gate.Release();
        }
    }

    private static Process Start()
    {
        Stop();
        lock (Errors)
        {
            Errors.Clear();
        }

        var script = Path.Combine(AppContext.BaseDirectory, "validate-card.js");
        var start = new ProcessStartInfo("node", [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        var node = new Process { StartInfo = start };
        node.ErrorDataReceived += (_, e) =>
        {
            lock (Errors)
            {
                Errors.AppendLine(e.Data);
            }
        };
        if (!node.Start())
        {
            throw new InvalidOperationException("node could not be started: scripts/test.sh installs Node.js.");
        }

        node.BeginErrorReadLine();
        _node = node;
        return node;
    }

    /// <summary>Kills the node process, if one runs. (Should the test process die without this, node ends when its stdin closes.)</summary>
    private static void Stop()
    {
        var node = Interlocked.Exchange(ref _node, null);
        if (node is null)
        {
            return;
        }

        try
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill: nothing is left to end.
        }

        node.Dispose();
    }

    private static string StandardError()
    {
        lock (Errors)
        {
            return Errors.Length == 0 ? "(empty)" : Errors.ToString().Trim();
        }
    }
}
