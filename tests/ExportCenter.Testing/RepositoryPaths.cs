using System.Reflection;

namespace ExportCenter.Testing;

/// <summary>Folders of the repository.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root (the folder with ExportCenter.Bot.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The knowledge base's data folder in the repository.</summary>
    public static string KnowledgeData => Path.Combine(Root, "knowledge", "data");

    /// <summary>tests/eval: the labelled evaluation sets and the domain's tables of topics and organisations.</summary>
    public static string Eval => Path.Combine(Root, "tests", "eval");

    /// <summary>
    /// An assembly of a project's built output, in the configuration the tests were built in, e.g.
    /// <c>BuiltOutput("bot", "ExportCenter.Bot")</c>: bot/bin/Release/net10.0/ExportCenter.Bot.dll. The bot's own output,
    /// not the copy in a test's folder: a Release build compiles it for this machine's runtime, with its native
    /// libraries beside it, where a test's folder keeps them under runtimes/.
    /// </summary>
    public static string BuiltOutput(string project, string assembly) =>
        Path.Combine(Root, project, "bin", Configuration, "net10.0", assembly + ".dll");

    private static string Configuration =>
        typeof(RepositoryPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ExportCenter.Bot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (ExportCenter.Bot.sln) was not found above " + AppContext.BaseDirectory);
    }
}
