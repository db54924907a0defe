using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace NetworkOperator.Runtime.Hosting;

/// <summary>
/// Runs a <see cref="ControllerManager"/> under the .NET generic host: SIGTERM cancels the stopping token, the
/// manager drains its controllers and releases its lease. Set the host's shutdown timeout above the manager's
/// graceful shutdown timeout.
/// </summary>
public sealed class ManagerHostedService(ControllerManager manager) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => manager.RunAsync(stoppingToken);
}

public static class ManagerServiceCollectionExtensions
{
    /// <summary>Registers the manager built by <paramref name="factory"/> as a singleton and runs it as a hosted service.</summary>
    public static IServiceCollection AddControllerManager(this IServiceCollection services,
        Func<IServiceProvider, ControllerManager> factory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(factory);
        services.AddSingleton(factory);
        services.AddHostedService(sp => new ManagerHostedService(sp.GetRequiredService<ControllerManager>()));
        return services;
    }
}
