using ExportCenter.Bot.Storage;
using Npgsql;

namespace ExportCenter.Bot.Tests.Storage;

/// <summary>An instance keeps at most 20 connections to PostgreSQL unless its connection string names another number.</summary>
public sealed class PostgresPoolSizeTests
{
    [Fact]
    public void AConnectionStringWithoutAPoolSize_GetsTheDefault_AndKeepsTheRest()
    {
        var result = new NpgsqlConnectionStringBuilder(StorageExtensions.WithDefaultPoolSize("Host=db.internal;Database=bot;Username=bot;Password=secret"));

        Assert.Equal(StorageExtensions.DefaultPostgresPoolSize, result.MaxPoolSize);
        Assert.Equal("db.internal", result.Host);
        Assert.Equal("secret", result.Password);
    }

    [Theory]
    [InlineData("Host=db;Database=bot;Maximum Pool Size=50", 50)]
    [InlineData("Host=db;Database=bot;MaxPoolSize=7", 7)]
    [InlineData("Host=db;Database=bot;maximum pool size=100", 100)]
    public void APoolSizeTheOperatorNamed_IsKept(string connectionString, int size) =>
        Assert.Equal(size, new NpgsqlConnectionStringBuilder(StorageExtensions.WithDefaultPoolSize(connectionString)).MaxPoolSize);
}
