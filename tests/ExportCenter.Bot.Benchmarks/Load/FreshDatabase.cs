using Npgsql;

namespace ExportCenter.Bot.Benchmarks.Load;

/// <summary>A database the bot has never seen: a SQLite file in the run's folder, or a new PostgreSQL database, dropped afterwards.</summary>
internal sealed class FreshDatabase : IDisposable
{
    /// <summary>The server the tests use (scripts/test.sh sets it); its role may create databases.</summary>
    public const string PostgresVariable = "EXPORTCENTER_TEST_POSTGRES";

    private readonly string? _postgresName;
    private readonly string? _postgresAdmin;

    private FreshDatabase(string connectionString, string? postgresName, string? postgresAdmin)
    {
        ConnectionString = connectionString;
        _postgresName = postgresName;
        _postgresAdmin = postgresAdmin;
    }

    public string ConnectionString { get; }

    public static FreshDatabase Sqlite(string folder) => new($"Data Source={Path.Combine(folder, "bot.db")}", null, null);

    /// <summary>A new database on the server of <paramref name="admin"/>, a connection string whose role may create databases.</summary>
    public static FreshDatabase Postgres(string admin)
    {
        var name = "ec_bench_" + Guid.NewGuid().ToString("N");
        using (var connection = new NpgsqlConnection(admin))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            create.ExecuteNonQuery();
        }

        return new FreshDatabase(new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString, name, admin);
    }

    public void Dispose()
    {
        if (_postgresName is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(_postgresAdmin);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresName}\" WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }
}
