namespace Musubi.Monitoring.Quality;

/// <summary>A source added with <c>AddQualitySource</c>, created from the container when the collector is built.</summary>
internal sealed record QualitySourceRegistration(Func<IServiceProvider, IQualitySource> Factory);
