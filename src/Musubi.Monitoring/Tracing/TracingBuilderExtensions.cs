using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Musubi.Monitoring;
using Musubi.Monitoring.Tracing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds span exporters and activity sources to the tracer registered by <c>AddMusubiMonitoring</c>.</summary>
public static class TracingBuilderExtensions
{
    /// <summary>
    /// Adds an exporter resolved from the container; finished spans reach it in batches from a background task
    /// (see <see cref="TracingOptions.Batch"/>). Adding the same type again registers nothing new.
    /// </summary>
    /// <typeparam name="TExporter">The exporter type; registered as a singleton if the container has none.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static MusubiMonitoringBuilder AddSpanExporter<TExporter>(this MusubiMonitoringBuilder builder)
        where TExporter : class, ISpanExporter
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<TExporter>();
        return Register(builder, new SpanExporterRegistration(typeof(TExporter), sp => sp.GetRequiredService<TExporter>(), Immediate: false));
    }

    /// <summary>Adds an exporter instance; finished spans reach it in batches from a background task.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="exporter">The exporter.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="exporter"/> is <see langword="null"/>.</exception>
    public static MusubiMonitoringBuilder AddSpanExporter(this MusubiMonitoringBuilder builder, ISpanExporter exporter)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(exporter);
        return Register(builder, new SpanExporterRegistration(exporter, _ => exporter, Immediate: false));
    }

    /// <summary>
    /// Keeps the most recent finished spans in an <see cref="InMemorySpanExporter"/> (resolve it from the
    /// container to read them, for example <c>GetTrace(traceId)</c>). Spans reach it as they end, without batching.
    /// Calling it again keeps the first capacity.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="capacity">The most spans kept.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1 or more than 1,000,000.</exception>
    public static MusubiMonitoringBuilder AddInMemorySpanExporter(this MusubiMonitoringBuilder builder, int capacity = 10_000)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1_000_000);
        builder.Services.TryAddSingleton(_ => new InMemorySpanExporter(capacity));
        return Register(builder, new SpanExporterRegistration(typeof(InMemorySpanExporter), sp => sp.GetRequiredService<InMemorySpanExporter>(), Immediate: true));
    }

    /// <summary>
    /// Writes finished spans to the console, one line each, in batches, with the service's name, version and
    /// environment from the options. Calling it again keeps the first format.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="format">JSON (default) or one-line text.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="format"/> is not a defined value.</exception>
    public static MusubiMonitoringBuilder AddConsoleSpanExporter(this MusubiMonitoringBuilder builder, SpanOutputFormat format = SpanOutputFormat.Json)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Use SpanOutputFormat.Json or SpanOutputFormat.Text.");
        }

        return Register(builder, new SpanExporterRegistration(
            typeof(ConsoleSpanExporter),
            sp => new ConsoleSpanExporter(format, writer: null, sp.GetRequiredService<IOptions<MusubiMonitoringOptions>>().Value),
            Immediate: false));
    }

    /// <summary>Records spans from more activity sources (names or <c>*</c> patterns), such as a library's own source.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="sourceNames">Activity source names or patterns such as <c>MyApp.*</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="sourceNames"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A name is null, empty or white space.</exception>
    public static MusubiMonitoringBuilder AddActivitySource(this MusubiMonitoringBuilder builder, params string[] sourceNames)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(sourceNames);
        foreach (string name in sourceNames)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name, nameof(sourceNames));
        }

        builder.Services.Configure<MusubiMonitoringOptions>(o =>
        {
            foreach (string name in sourceNames)
            {
                if (!o.Tracing.Sources.Contains(name))
                {
                    o.Tracing.Sources.Add(name);
                }
            }
        });
        return builder;
    }

    private static MusubiMonitoringBuilder Register(MusubiMonitoringBuilder builder, SpanExporterRegistration registration)
    {
        bool known = builder.Services.Any(d => d.ServiceType == typeof(SpanExporterRegistration)
            && d.ImplementationInstance is SpanExporterRegistration existing
            && Equals(existing.Key, registration.Key));
        if (!known)
        {
            builder.Services.AddSingleton(registration);
        }

        return builder;
    }
}
