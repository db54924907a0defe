using k8s;
using k8s.Models;
using NetworkOperator.Api.Contract;

namespace NetworkOperator.Rendering.Common;

/// <summary>The last step of every render: state label, optional <c>ds-owner</c>, and the revision annotation.</summary>
public static class StateObjects
{
    public static RenderResult Finish(string state, IEnumerable<IKubernetesObject<V1ObjectMeta>> objects, string? dsOwner = null)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var list = new List<IKubernetesObject<V1ObjectMeta>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var obj in objects)
        {
            // Same identity twice (e.g. shared RBAC rendered per driver pool) is applied once, as upstream does.
            if (!seen.Add($"{obj.ApiVersion}/{obj.Kind}/{obj.Metadata.NamespaceProperty}/{obj.Metadata.Name}"))
            {
                continue;
            }

            obj.Metadata.Labels ??= new Dictionary<string, string>(StringComparer.Ordinal);
            obj.Metadata.Labels[Labels.State] = state;
            if (dsOwner is not null)
            {
                obj.Metadata.Labels[Labels.DsOwner] = dsOwner;
            }

            RevisionHash.Stamp(obj);
            list.Add(obj);
        }

        return new RenderResult(state, list) { DsOwner = dsOwner };
    }
}
