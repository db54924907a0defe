using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Controllers.Policies;
using NetworkOperator.Rendering;
using NetworkOperator.Rendering.Ofed;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.OpenShift;

/// <summary>
/// The cluster facts only OpenShift has, read before a policy with a driver is rendered: the Driver Toolkit images
/// (ImageStream <c>openshift/driver-toolkit</c>, one tag per RHCOS build) and the cluster-wide proxy (Proxy
/// <c>cluster</c>), whose trusted CA bundle OpenShift injects into a ConfigMap the operator creates for it. Read with
/// plain GETs each pass, as they change rarely and only matter while a driver is configured.
/// </summary>
public sealed class OpenShiftFacts(IKubernetes client, string operatorNamespace, TimeProvider time, ILogger logger)
{
    public const string ToolkitNamespace = "openshift";
    public const string ToolkitImageStream = "driver-toolkit";
    public const string ProxyName = "cluster";
    public const string InjectTrustedCaBundleLabel = "config.openshift.io/inject-trusted-cabundle";

    /// <summary>How long passes wait for OpenShift to fill a trusted CA ConfigMap the operator created (as upstream does).</summary>
    public static readonly TimeSpan TrustedCaWait = TimeSpan.FromSeconds(15);

    /// <summary>How soon a pass that waits for the trusted CA runs again.</summary>
    public static readonly TimeSpan TrustedCaRecheck = TimeSpan.FromSeconds(1);

    // When this process created the trusted CA ConfigMap: until it is filled or the wait is over, a pass renders
    // nothing and asks to run again, so no driver pod starts with an empty bundle and no worker is held. Both policy
    // controllers read it, hence the lock.
    private readonly Lock _trustedCa = new();
    private DateTimeOffset? _createdAt;
    private bool _emptyReported;

    /// <summary>
    /// <paramref name="facts"/> with the toolkit images and the proxy filled in when the cluster is OpenShift and the
    /// policy configures a driver; unchanged otherwise. <see cref="OpenShiftReading.WaitForTrustedCa"/> is set while a
    /// trusted CA ConfigMap the operator just created is still empty: the caller requeues after it instead of rendering.
    /// API errors other than "not found" propagate (the pass is retried).
    /// </summary>
    public async Task<OpenShiftReading> AddAsync(ClusterFacts facts, IKubernetesObject<V1ObjectMeta> policy, OfedDriverSpec? driver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(policy);
        if (!facts.IsOpenShift || driver is null)
        {
            return new OpenShiftReading(facts);
        }

        var toolkit = facts.UseDriverToolkit ? await ToolkitImagesAsync(cancellationToken).ConfigureAwait(false) : facts.DriverToolkitImages;
        var proxy = await ProxyAsync(cancellationToken).ConfigureAwait(false);
        var filled = facts with { DriverToolkitImages = toolkit, Proxy = proxy };
        if (proxy is { TrustedCaConfigMap.Length: > 0 } && string.IsNullOrEmpty(driver.CertConfig?.Name)
            && await EnsureTrustedCaConfigMapAsync(policy, cancellationToken).ConfigureAwait(false))
        {
            return new OpenShiftReading(filled, TrustedCaRecheck);
        }

        return new OpenShiftReading(filled);
    }

    /// <summary>Tag name (an RHCOS build, as in the node label OSTREE_VERSION) to image, from the ImageStream's spec tags.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ToolkitImagesAsync(CancellationToken cancellationToken)
    {
        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonElement stream;
        try
        {
            stream = await GetAsync(() => client.CustomObjects.GetNamespacedCustomObjectAsync("image.openshift.io", "v1", ToolkitNamespace, "imagestreams",
                ToolkitImageStream, cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ApiErrors.IsNotFound(ex))
        {
            // Rendering then names the missing image for the pool's RHCOS build, which is the error users can act on.
            OpenShiftLog.ToolkitMissing(logger, ToolkitNamespace, ToolkitImageStream);
            return images;
        }

        if (stream.TryGetProperty("spec", out var spec) && spec.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array)
        {
            foreach (var tag in tags.EnumerateArray())
            {
                if (Text(tag, "name") is { Length: > 0 } name && tag.TryGetProperty("from", out var from) && Text(from, "name") is { Length: > 0 } image)
                {
                    images[name] = image;
                }
            }
        }

        return images;
    }

    /// <summary>The cluster-wide proxy as configured (its spec); null when there is none or the kind is not served.</summary>
    public async Task<ClusterProxy?> ProxyAsync(CancellationToken cancellationToken)
    {
        JsonElement proxy;
        try
        {
            proxy = await GetAsync(() => client.CustomObjects.GetClusterCustomObjectAsync("config.openshift.io", "v1", "proxies", ProxyName, cancellationToken))
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ApiErrors.IsNotFound(ex))
        {
            return null;
        }

        if (!proxy.TryGetProperty("spec", out var spec) || spec.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var trustedCa = spec.TryGetProperty("trustedCA", out var ca) ? Text(ca, "name") : null;
        return new ClusterProxy(Text(spec, "httpsProxy"), Text(spec, "httpProxy"), Text(spec, "noProxy"), string.IsNullOrEmpty(trustedCa) ? null : OfedMounts.TrustedCaConfigMap);
    }

    /// <summary>
    /// Creates the ConfigMap OpenShift fills with the cluster's trusted CA bundle (owned by the policy) when it is
    /// missing; an existing one is left as it is (its data is OpenShift's). True while one this process created is
    /// still empty and <see cref="TrustedCaWait"/> has not passed: the pass should wait for it.
    /// </summary>
    private async Task<bool> EnsureTrustedCaConfigMapAsync(IKubernetesObject<V1ObjectMeta> policy, CancellationToken cancellationToken)
    {
        V1ConfigMap? existing = null;
        try
        {
            existing = await client.CoreV1.ReadNamespacedConfigMapAsync(OfedMounts.TrustedCaConfigMap, operatorNamespace, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ApiErrors.IsNotFound(ex))
        {
        }

        if (existing is not null)
        {
            if (existing.Data?.TryGetValue(OfedMounts.TrustedCaKey, out var bundle) == true && !string.IsNullOrEmpty(bundle))
            {
                lock (_trustedCa)
                {
                    (_createdAt, _emptyReported) = (null, false);
                }

                return false;
            }

            lock (_trustedCa)
            {
                if (_createdAt is { } at && time.GetUtcNow() - at < TrustedCaWait)
                {
                    return true;
                }

                _createdAt = null;
                if (_emptyReported)
                {
                    return false;
                }

                // Said once (when the wait ends, or for one found empty at start), not on every pass.
                _emptyReported = true;
            }

            OpenShiftLog.TrustedCaEmpty(logger, operatorNamespace, OfedMounts.TrustedCaConfigMap);
            return false;
        }

        var configMap = new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta
            {
                Name = OfedMounts.TrustedCaConfigMap,
                NamespaceProperty = operatorNamespace,
                Labels = new Dictionary<string, string> { [InjectTrustedCaBundleLabel] = "true" },
                OwnerReferences = [Owner.Of(policy).Reference()],
            },
            Data = new Dictionary<string, string> { [OfedMounts.TrustedCaKey] = string.Empty },
        };
        try
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(configMap, operatorNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            OpenShiftLog.TrustedCaCreated(logger, operatorNamespace, OfedMounts.TrustedCaConfigMap);
            lock (_trustedCa)
            {
                (_createdAt, _emptyReported) = (time.GetUtcNow(), false);
            }
        }
        catch (Exception ex) when (ApiErrors.IsConflict(ex))
        {
            // Another pass (or the NicNodePolicy controller) created it meanwhile; its wait applies.
            lock (_trustedCa)
            {
                _createdAt ??= time.GetUtcNow();
            }
        }

        return true;
    }

    private static async Task<JsonElement> GetAsync(Func<Task<object>> get)
    {
        var value = await get().ConfigureAwait(false);
        if (value is JsonElement element)
        {
            return element;
        }

        using var document = JsonDocument.Parse(KubernetesJson.Serialize(value));
        return document.RootElement.Clone();
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
