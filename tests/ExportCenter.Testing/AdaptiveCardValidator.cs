using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ExportCenter.Testing;

/// <summary>Runs Support/validate-card.js (the adaptivecards parser, schema 1.5) on card JSON.</summary>
public static class AdaptiveCardValidator
{
    public static async Task<JsonArray> ProblemsAsync(string cardJson)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "validate-card.js");
        var start = new ProcessStartInfo("node", [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node could not be started.");
        await node.StandardInput.WriteAsync(cardJson);
        node.StandardInput.Close();
        var output = await node.StandardOutput.ReadToEndAsync();
        var error = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, $"validate-card.js failed: {error}");
        return JsonNode.Parse(output)!.AsArray();
    }
}
