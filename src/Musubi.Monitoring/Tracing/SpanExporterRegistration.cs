namespace Musubi.Monitoring.Tracing;

/// <summary>One exporter the tracer feeds; <paramref name="Key"/> (a type or an instance) keeps registrations unique.</summary>
internal sealed record SpanExporterRegistration(object Key, Func<IServiceProvider, ISpanExporter> Resolve, bool Immediate);
