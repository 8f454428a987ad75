using Npgsql;

namespace ExportCenter.Bot.Benchmarks.Load;

/// <summary>A database the bot has never seen: a SQLite file in the run's folder, or a new PostgreSQL database, dropped afterwards.</summary>
internal sealed class FreshDatabase : IDisposable
{
    /// <summary>The server the tests use (scripts/test.sh sets it); its role may create databases.</summary>
    public const string PostgresVariable = "EXPORTCENTER_TEST_POSTGRES";

    private readonly string? _postgresName;

    private FreshDatabase(string connectionString, string? postgresName)
    {
        ConnectionString = connectionString;
        _postgresName = postgresName;
    }

    public string ConnectionString { get; }

    public static FreshDatabase Sqlite(string folder) => new($"Data Source={Path.Combine(folder, "bot.db")}", null);

    public static FreshDatabase Postgres()
    {
        var name = "ec_bench_" + Guid.NewGuid().ToString("N");
        using (var connection = new NpgsqlConnection(PostgresAdmin()))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            create.ExecuteNonQuery();
        }

        return new FreshDatabase(new NpgsqlConnectionStringBuilder(PostgresAdmin()) { Database = name }.ConnectionString, name);
    }

    /// <summary>Whether a PostgreSQL server is configured for the benchmark.</summary>
    public static bool PostgresConfigured => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresVariable));

    public void Dispose()
    {
        if (_postgresName is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(PostgresAdmin());
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresName}\" WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }

    private static string PostgresAdmin() => Environment.GetEnvironmentVariable(PostgresVariable)
        ?? throw new InvalidOperationException($"Set {PostgresVariable} to a PostgreSQL connection string whose role may create databases.");
}
