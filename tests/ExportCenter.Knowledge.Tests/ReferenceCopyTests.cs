using Xunit.Abstractions;

namespace ExportCenter.Knowledge.Tests;

/// <summary>
/// The tests read the repository's copies of the shared reference files in tests/eval: they are what the tests hold
/// the bot to. Where the shared folder is checked out beside the repository, the copies must still match it, so that
/// a change there is noticed and copied over instead of silently drifting apart.
/// </summary>
public sealed class ReferenceCopyTests(ITestOutputHelper output)
{
    /// <summary>Each copy: its path in ../shared, its path in the repository, and whether only its tables count.</summary>
    private static readonly (string Shared, string Copy, bool TablesOnly)[] Copies =
    [
        ("eval/dev.jsonl", "tests/eval/dev.jsonl", false),
        ("domain/topics.md", "tests/eval/topics.md", true),
        ("domain/organisations.md", "tests/eval/organisations.md", true),
    ];

    [Fact]
    public void RepositoryCopies_MatchTheSharedFolder_WhenItIsBesideTheRepository()
    {
        if (!Directory.Exists(RepositoryPaths.SharedBeside))
        {
            output.WriteLine($"No ../shared beside the repository ({RepositoryPaths.SharedBeside}): nothing to compare; the copies in tests/eval stand.");
            return;
        }

        var differences = new List<string>();
        foreach (var (shared, copy, tablesOnly) in Copies)
        {
            var sharedPath = Path.Combine(RepositoryPaths.SharedBeside, shared);
            if (!File.Exists(sharedPath))
            {
                output.WriteLine($"../shared/{shared} does not exist: nothing to compare with {copy}.");
                continue;
            }

            var difference = FirstDifference(Lines(sharedPath, tablesOnly), Lines(Path.Combine(RepositoryPaths.Root, copy), tablesOnly), tablesOnly);
            if (difference is null)
            {
                output.WriteLine($"{copy} matches ../shared/{shared}{(tablesOnly ? " (its tables)" : "")}.");
            }
            else
            {
                differences.Add($"{copy} differs from ../shared/{shared}: {difference}; copy it over.");
            }
        }

        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences));
    }

    /// <summary>The file's lines, or only its Markdown table rows (the part the tests read), without trailing blanks.</summary>
    private static List<string> Lines(string path, bool tablesOnly) =>
        [.. File.ReadAllLines(path).Select(l => l.TrimEnd()).Where(l => !tablesOnly || l.StartsWith('|'))];

    private static string? FirstDifference(List<string> shared, List<string> copy, bool tablesOnly)
    {
        var what = tablesOnly ? "table row" : "line";
        for (var i = 0; i < Math.Min(shared.Count, copy.Count); i++)
        {
            if (!string.Equals(shared[i], copy[i], StringComparison.Ordinal))
            {
                var at = shared[i].AsSpan().CommonPrefixLength(copy[i]);
                return $"{what} {i + 1}, from character {at + 1}, is \"{Excerpt(shared[i], at)}\" there but \"{Excerpt(copy[i], at)}\" here";
            }
        }

        return shared.Count == copy.Count
            ? null
            : $"it has {shared.Count} {what}s there but {copy.Count} here (the first one without a match: \"{Excerpt(shared.Count > copy.Count ? shared[copy.Count] : copy[shared.Count], 0)}\")";
    }

    /// <summary>Up to 80 characters of <paramref name="line"/> from a little before <paramref name="at"/>.</summary>
    private static string Excerpt(string line, int at)
    {
        var start = Math.Max(0, at - 20);
        var length = Math.Min(80, line.Length - start);
        return string.Concat(start > 0 ? "..." : "", line.AsSpan(start, length), start + length < line.Length ? "..." : "");
    }
}
