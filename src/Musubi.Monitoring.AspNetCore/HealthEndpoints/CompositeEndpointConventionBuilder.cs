using Microsoft.AspNetCore.Builder;

namespace Musubi.Monitoring.AspNetCore.HealthEndpoints;

/// <summary>Applies each convention to several endpoints, so one <c>.RequireHost(…)</c> secures them all.</summary>
internal sealed class CompositeEndpointConventionBuilder : IEndpointConventionBuilder
{
    private readonly IEndpointConventionBuilder[] _builders;

    public CompositeEndpointConventionBuilder(params IEndpointConventionBuilder[] builders) => _builders = builders;

    public void Add(Action<EndpointBuilder> convention)
    {
        foreach (IEndpointConventionBuilder builder in _builders)
        {
            builder.Add(convention);
        }
    }

    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        foreach (IEndpointConventionBuilder builder in _builders)
        {
            builder.Finally(finallyConvention);
        }
    }
}
