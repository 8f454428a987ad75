using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace ExportCenter.Bot.Tests.Fuzzing;

/// <summary>
/// How many activities a fuzz test posts, and what the edge answered them: counts by status and error code, and
/// the time taken. CI runs <see cref="DefaultCount"/>; <c>EXPORTCENTER_FUZZ_COUNT</c> asks for a longer run.
/// </summary>
public sealed class FuzzTally
{
    /// <summary>The count in CI: a few seconds on the 2-core machines.</summary>
    public const int DefaultCount = 400;

    public const string CountVariable = "EXPORTCENTER_FUZZ_COUNT";

    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, int> _answers = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>The number of activities to post: the environment's count, or the CI default.</summary>
    public static int Count =>
        int.TryParse(Environment.GetEnvironmentVariable(CountVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
            ? count
            : DefaultCount;

    public int Posted { get; private set; }

    public int ServerErrors { get; private set; }

    /// <summary>Activities whose check failed (any property, 5xx included).</summary>
    public int Violations { get; private set; }

    /// <summary>Runs one activity's check and counts it when it fails; the failure still goes to the sampler.</summary>
    public async Task CheckAsync(Func<Task> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        try
        {
            await check();
        }
        catch
        {
            lock (_gate)
            {
                Violations++;
            }

            throw;
        }
    }

    /// <summary>Records one answer; the error code is read from either error shape (Direct Line's or ProblemDetails).</summary>
    public async Task RecordAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var status = (int)response.StatusCode;
        var code = status >= 400 ? await ErrorCodeAsync(response) : null;
        lock (_gate)
        {
            Posted++;
            ServerErrors += status >= 500 ? 1 : 0;
            var key = code is null ? status.ToString(CultureInfo.InvariantCulture) : $"{status} {code}";
            _answers[key] = _answers.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>One line: count, answers by status and code, 5xx count and duration.</summary>
    public string Summary(string edge)
    {
        lock (_gate)
        {
            var answers = string.Join(", ", _answers.Select(a => $"{a.Key}: {a.Value}"));
            return string.Create(CultureInfo.InvariantCulture, $"{edge}: {Posted} activities in {_clock.Elapsed.TotalSeconds:F1} s; {ServerErrors} answered 5xx; {Violations} failed a check; {answers}");
        }
    }

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        try
        {
            return JsonNode.Parse(body) is JsonObject o
                ? (o["error"]?["code"] ?? o["code"])?.GetValue<string>()
                : null;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Whether the status is one a client can act on, which excludes every 5xx.</summary>
    public static bool IsClientAnswer(HttpStatusCode status) => (int)status < 500;
}
