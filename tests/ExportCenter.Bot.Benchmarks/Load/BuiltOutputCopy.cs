namespace ExportCenter.Bot.Benchmarks.Load;

/// <summary>
/// A copy of the bot's built output without the model the build trained next to the binaries, so that its start finds
/// no stored model unless it is given a cache: how the bot starts after its knowledge base was edited. Deleted afterwards.
/// </summary>
internal sealed class BuiltOutputCopy : IDisposable
{
    private readonly string _folder;

    private BuiltOutputCopy(string folder, string dll)
    {
        _folder = folder;
        Dll = dll;
    }

    /// <summary>The bot's assembly in the copy.</summary>
    public string Dll { get; }

    public static BuiltOutputCopy WithoutBuiltModel(string botDll)
    {
        var source = Path.GetDirectoryName(Path.GetFullPath(botDll))!;
        var folder = Directory.CreateTempSubdirectory("exportcenter-load-bot-").FullName;
        Copy(source, folder, Path.GetFileName(botDll), top: true);
        return new BuiltOutputCopy(folder, Path.Combine(folder, Path.GetFileName(botDll)));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static void Copy(string from, string to, string botFile, bool top)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            if (!(top && Path.GetFileName(file) == ExportCenter.Knowledge.Understanding.UnderstandingModelFile.FileName))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }
        }

        foreach (var folder in Directory.EnumerateDirectories(from))
        {
            // A runtime-specific build inside the output (bin/Release/net10.0/linux-x64/) is another bot, not part of this one.
            if (!File.Exists(Path.Combine(folder, botFile)))
            {
                Copy(folder, Path.Combine(to, Path.GetFileName(folder)), botFile, top: false);
            }
        }
    }
}
