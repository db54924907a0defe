using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using NetworkOperator.Api.Crds;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Startup;

/// <summary>
/// Creates CRDs that do not exist or replaces those whose definition differs, then waits until each is established.
/// Used at start-up for the operator's own CRDs (from the Api catalog built into the binary) and by the chart's
/// upgrade hook, which also passes the dependency charts' CRDs.
/// </summary>
public static class CrdInstaller
{
    public static Task<int> InstallAsync(IKubernetes client, ILogger logger, TimeProvider time, CancellationToken cancellationToken) =>
        InstallAsync(client, CrdCatalog.All, logger, time, cancellationToken);

    public static async Task<int> InstallAsync(IKubernetes client, IReadOnlyList<V1CustomResourceDefinition> crds, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(crds);
        ArgumentNullException.ThrowIfNull(time);
        var writes = 0;
        foreach (var crd in crds)
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
            else if (Comparable(live.Spec) != Comparable(crd.Spec))
            {
                crd.Metadata.ResourceVersion = live.Metadata.ResourceVersion;
                await client.ApiextensionsV1.ReplaceCustomResourceDefinitionAsync(crd, crd.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
                ControllersLog.CrdWritten(logger, "upgraded", crd.Metadata.Name);
                writes++;
            }
        }

        foreach (var crd in crds)
        {
            await WaitEstablishedAsync(client, crd.Metadata.Name, time, cancellationToken).ConfigureAwait(false);
        }

        return writes;
    }

    /// <summary>
    /// The parts of a CRD spec a user sees (names, scope, versions with schemas, columns and subresources), with the
    /// API server's name defaults applied, so a definition the server has defaulted compares equal to its source and a
    /// second run writes nothing.
    /// </summary>
    private static string Comparable(V1CustomResourceDefinitionSpec spec)
    {
        var names = spec.Names;
        var parts = new List<string>
        {
            spec.Group,
            spec.Scope,
            names.Kind,
            names.Plural,
            string.IsNullOrEmpty(names.Singular) ? names.Kind.ToLowerInvariant() : names.Singular,
            string.IsNullOrEmpty(names.ListKind) ? names.Kind + "List" : names.ListKind,
            string.Join(',', names.ShortNames ?? []),
            string.Join(',', names.Categories ?? []),
        };
        foreach (var v in spec.Versions)
        {
            parts.Add($"{v.Name} served={v.Served} storage={v.Storage} deprecated={v.Deprecated}");
            parts.Add(v.Schema is null ? "-" : KubernetesJson.Serialize(v.Schema));
            parts.Add(v.Subresources is null ? "-" : KubernetesJson.Serialize(v.Subresources));
            parts.Add(v.AdditionalPrinterColumns is null ? "-" : KubernetesJson.Serialize(v.AdditionalPrinterColumns));
        }

        return string.Join('\n', parts);
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
