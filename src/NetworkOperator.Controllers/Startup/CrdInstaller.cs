using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using NetworkOperator.Api.Crds;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Startup;

/// <summary>
/// Optional start-up step: creates the operator's own CRDs (from the Api catalog built into the binary) or replaces
/// them when their spec differs, then waits until each is established, so the controllers' caches can start.
/// </summary>
public static class CrdInstaller
{
    public static async Task<int> InstallAsync(IKubernetes client, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(time);
        var writes = 0;
        foreach (var crd in CrdCatalog.All)
        {
            V1CustomResourceDefinition? live;
            try
            {
                live = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ApiErrors.IsNotFound(ex))
            {
                live = null;
            }

            if (live is null)
            {
                await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: cancellationToken).ConfigureAwait(false);
                ControllersLog.CrdWritten(logger, "installed", crd.Metadata.Name);
                writes++;
            }
            else if (KubernetesJson.Serialize(live.Spec.Versions.Select(v => v.Schema)) != KubernetesJson.Serialize(crd.Spec.Versions.Select(v => v.Schema))
                || live.Spec.Versions.Count != crd.Spec.Versions.Count)
            {
                crd.Metadata.ResourceVersion = live.Metadata.ResourceVersion;
                await client.ApiextensionsV1.ReplaceCustomResourceDefinitionAsync(crd, crd.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
                ControllersLog.CrdWritten(logger, "upgraded", crd.Metadata.Name);
                writes++;
            }
        }

        foreach (var crd in CrdCatalog.All)
        {
            await WaitEstablishedAsync(client, crd.Metadata.Name, time, cancellationToken).ConfigureAwait(false);
        }

        return writes;
    }

    private static async Task WaitEstablishedAsync(IKubernetes client, string name, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(60);
        while (true)
        {
            var crd = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (crd.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true)
            {
                return;
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new OperatorConfigurationException($"CRD {name} was not established within 60 s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken).ConfigureAwait(false);
        }
    }
}
