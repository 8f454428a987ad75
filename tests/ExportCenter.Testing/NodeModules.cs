namespace ExportCenter.Testing;

/// <summary>Finds files of the repository's npm packages (installed by the test script with `npm ci`).</summary>
public static class NodeModules
{
    public static string File(string relativePath)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "node_modules", relativePath);
            if (System.IO.File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"node_modules/{relativePath} not found above {AppContext.BaseDirectory}: run `npm ci` at the repository root (the README's test script does).");
    }
}
