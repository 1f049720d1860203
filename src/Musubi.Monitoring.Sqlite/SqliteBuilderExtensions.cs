using Microsoft.Extensions.DependencyInjection.Extensions;
using Musubi.Monitoring;
using Musubi.Monitoring.Costs;
using Musubi.Monitoring.Incidents;
using Musubi.Monitoring.Releases;
using Musubi.Monitoring.Sqlite;
using Musubi.Monitoring.Sqlite.Database;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps Musubi.Monitoring's durable state in a SQLite file.</summary>
public static class SqliteBuilderExtensions
{
    /// <summary>
    /// Stores incidents, releases, managed feature flags and LLM costs in the SQLite file named by <paramref name="connectionString"/>:
    /// registers <see cref="SqliteIncidentStore"/> as the <see cref="IIncidentStore"/>, <see cref="SqliteReleaseStore"/> as
    /// the <see cref="IReleaseStore"/>, <see cref="SqliteFeatureFlagStore"/> as the <see cref="IFeatureFlagStore"/> and
    /// <see cref="SqliteCostLedger"/> as the <see cref="ICostLedger"/> and <see cref="SqliteBudgetStore"/> as the <see cref="IBudgetStore"/>
    /// (budget definitions and raised-alert state), replacing the in-memory stores that <c>AddIncidents</c>,
    /// <c>AddReleases</c>, <c>AddFeatureFlagManagement</c> and <c>AddCosts</c>
    /// register (whether they are called before or after). All share the file, each with its own tables and migration scope.
    /// Calling it again replaces the earlier registrations (the last connection string wins).
    /// </summary>
    /// <param name="builder">The builder from <c>AddMusubiMonitoring</c>.</param>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string naming a database file, such as
    /// <c>Data Source=musubi.db</c>; the file and its directory are created when missing, and the schema on first use.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="connectionString"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, does not parse, or names an in-memory or
    /// temporary database rather than a file.</exception>
    public static MusubiMonitoringBuilder UseSqlite(this MusubiMonitoringBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        _ = SqliteConnectionFactory.Parse(connectionString, nameof(connectionString));
        builder.Services.Replace(ServiceDescriptor.Singleton(sp => new SqliteIncidentStore(connectionString, sp.GetService<TimeProvider>())));
        builder.Services.Replace(ServiceDescriptor.Singleton<IIncidentStore>(sp => sp.GetRequiredService<SqliteIncidentStore>()));
        builder.Services.Replace(ServiceDescriptor.Singleton(sp => new SqliteReleaseStore(connectionString, sp.GetService<TimeProvider>())));
        builder.Services.Replace(ServiceDescriptor.Singleton<IReleaseStore>(sp => sp.GetRequiredService<SqliteReleaseStore>()));
        builder.Services.Replace(ServiceDescriptor.Singleton(sp => new SqliteFeatureFlagStore(connectionString, sp.GetService<TimeProvider>())));
        builder.Services.Replace(ServiceDescriptor.Singleton<IFeatureFlagStore>(sp => sp.GetRequiredService<SqliteFeatureFlagStore>()));
        builder.Services.Replace(ServiceDescriptor.Singleton(sp => new SqliteCostLedger(connectionString, sp.GetService<TimeProvider>())));
        builder.Services.Replace(ServiceDescriptor.Singleton<ICostLedger>(sp => sp.GetRequiredService<SqliteCostLedger>()));
        builder.Services.Replace(ServiceDescriptor.Singleton(sp => new SqliteBudgetStore(connectionString, sp.GetService<TimeProvider>())));
        builder.Services.Replace(ServiceDescriptor.Singleton<IBudgetStore>(sp => sp.GetRequiredService<SqliteBudgetStore>()));
        return builder;
    }
}
