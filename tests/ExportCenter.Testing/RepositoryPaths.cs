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
