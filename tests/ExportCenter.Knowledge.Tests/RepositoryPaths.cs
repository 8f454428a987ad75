namespace ExportCenter.Knowledge.Tests;

/// <summary>
/// Folders of the repository. This project's own copy of the test-support type of the same name: the shared
/// test-support library also holds the Node-based card validator, and these tests need only the .NET SDK.
/// </summary>
public static class RepositoryPaths
{
    /// <summary>The repository root (the folder with ExportCenter.Bot.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The knowledge base's data folder in the repository.</summary>
    public static string KnowledgeData => Path.Combine(Root, "knowledge", "data");

    /// <summary>tests/eval: the labelled evaluation sets and the domain's tables of topics and organisations.</summary>
    public static string Eval => Path.Combine(Root, "tests", "eval");

    /// <summary>
    /// Where a checkout of the shared reference folder would be, beside the repository (../shared). The tests never
    /// read from it; only <see cref="ReferenceCopyTests"/> compares it, when it is there, with the copies in tests/eval.
    /// </summary>
    public static string SharedBeside => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

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
