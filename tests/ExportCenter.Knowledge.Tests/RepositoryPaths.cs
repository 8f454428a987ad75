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

    /// <summary>The shared reference folder beside the repository (domain facts and the dev evaluation set).</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

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
