using Npgsql;

namespace ExportCenter.Bot.Testing;

/// <summary>
/// A fresh database for one test (or one start of the load benchmark): a SQLite file (the BotApp's own) or a new
/// database on the PostgreSQL server that the README's test script starts (connection in EXPORTCENTER_TEST_POSTGRES).
/// </summary>
public sealed class TestDatabase : IDisposable
{
    public const string PostgresVariable = "EXPORTCENTER_TEST_POSTGRES";
    private readonly string? _postgresName;
    private readonly string? _postgresAdmin;
    private readonly string? _sqliteFolder;

    private TestDatabase(string provider, string connectionString, string? postgresName, string? postgresAdmin, string? sqliteFolder)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _postgresName = postgresName;
        _postgresAdmin = postgresAdmin;
        _sqliteFolder = sqliteFolder;
    }

    /// <summary>"sqlite" or "postgres".</summary>
    public string Provider { get; }

    public string ConnectionString { get; }

    /// <summary>Settings that point the bot at this database.</summary>
    public Dictionary<string, string?> Settings => new() { ["ConnectionStrings:Bot"] = ConnectionString };

    /// <summary>A new database of the provider ("sqlite" or "postgres").</summary>
    /// <param name="provider">"sqlite" or "postgres".</param>
    /// <param name="postgresAdmin">A connection string whose role may create databases; by default EXPORTCENTER_TEST_POSTGRES.</param>
    public static TestDatabase Create(string provider, string? postgresAdmin = null)
    {
        if (provider == "sqlite")
        {
            var folder = Directory.CreateTempSubdirectory("exportcenter-db-").FullName;
            return new TestDatabase(provider, $"Data Source={Path.Combine(folder, "bot.db")}", null, null, folder);
        }

        var admin = postgresAdmin ?? Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            throw new InvalidOperationException($"The PostgreSQL tests need a server: run scripts/test.sh, which starts PostgreSQL and sets {PostgresVariable}.");
        }

        var name = "ec_test_" + Guid.NewGuid().ToString("N");
        using (var connection = new NpgsqlConnection(admin))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            create.ExecuteNonQuery();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(provider, builder.ConnectionString, name, admin, null);
    }

    public void Dispose()
    {
        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            using var connection = new NpgsqlConnection(_postgresAdmin);
            connection.Open();
            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresName}\" WITH (FORCE)", connection);
            drop.ExecuteNonQuery();
        }

        if (_sqliteFolder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_sqliteFolder, recursive: true);
        }
    }
}
