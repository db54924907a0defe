using k8s.Models;
using NetworkOperator.Api;
using NetworkOperator.Runtime.Cache;

namespace NetworkOperator.Controllers.Hosting;

/// <summary>
/// Watches the CustomResourceDefinition of each managed kind the cluster did not serve at start-up (cert-manager's
/// Issuer and Certificate, Multus's NetworkAttachmentDefinition, ...), one informer each scoped to that CRD's name, and
/// asks for a restart once one is established with the version the operator writes. The served kinds are decided at
/// start-up (their informers and watch sources are wired then), so "install cert-manager", the fix the status gives,
/// would otherwise take effect only after someone restarted the operator.
/// </summary>
internal sealed class LateKinds : IResourceHandler<V1CustomResourceDefinition>
{
    private readonly ResourceKind _kind;
    private readonly Action<ResourceKind> _served;

    private LateKinds(ResourceKind kind, Action<ResourceKind> served)
    {
        _kind = kind;
        _served = served;
    }

    public static void Watch(SharedInformerFactory cache, IEnumerable<ResourceKind> notServed, Action<ResourceKind> served)
    {
        // Built-in groups (no dot in the name) never appear through a CRD. A kind that never will on this platform
        // (OpenShift's SecurityContextConstraints elsewhere) costs one idle watch.
        foreach (var kind in notServed.Where(k => k.Group.Length > 0 && k.Group.Contains('.', StringComparison.Ordinal)))
        {
            var scope = "late-crd-" + kind.CrdName;
            cache.Configure<V1CustomResourceDefinition>(scope, o =>
            {
                o.FieldSelector = "metadata.name=" + kind.CrdName;
                // Only the name, versions and conditions are read; a CRD's schemas can weigh hundreds of kilobytes.
                o.Transform = obj =>
                {
                    var crd = (V1CustomResourceDefinition)obj;
                    foreach (var version in crd.Spec?.Versions ?? [])
                    {
                        version.Schema = null;
                    }

                    return crd;
                };
            });
            cache.GetInformer<V1CustomResourceDefinition>(scope).AddHandler(new LateKinds(kind, served));
        }
    }

    public void OnAdd(V1CustomResourceDefinition obj, bool isInInitialList) => Check(obj);

    public void OnUpdate(V1CustomResourceDefinition oldObj, V1CustomResourceDefinition newObj) => Check(newObj);

    public void OnDelete(V1CustomResourceDefinition obj)
    {
    }

    private void Check(V1CustomResourceDefinition crd)
    {
        var established = crd.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true;
        if (established && crd.Spec?.Versions?.Any(v => v.Name == _kind.Version && v.Served) == true)
        {
            _served(_kind);
        }
    }
}
