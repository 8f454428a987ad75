namespace ExportCenter.Testing;

/// <summary>
/// Numbers measured while tests run (not asserted: tests assert behaviour), appended to
/// TestResults/measurements.txt so a run leaves them for the record.
/// </summary>
public static class Measurements
{
    private static readonly Lock Gate = new();

    public static void Record(string line)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(folder);
        lock (Gate)
        {
            File.AppendAllText(Path.Combine(folder, "measurements.txt"), $"{line}{Environment.NewLine}");
        }
    }
}
