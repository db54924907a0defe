using k8s;
using k8s.Models;

namespace NetworkOperator.Rendering.Common;

/// <summary>On OpenShift a privileged pod's ServiceAccount needs <c>use</c> on SCC <c>privileged</c>: a Role and RoleBinding per state.</summary>
public static class OpenShiftScc
{
    public static IEnumerable<IKubernetesObject<V1ObjectMeta>> PrivilegedRoleAndBinding(string name, string ns, string serviceAccount)
    {
        yield return K8s.Role(name, ns, K8s.Rule(["security.openshift.io"], ["securitycontextconstraints"], ["use"], ["privileged"]));
        yield return K8s.RoleBinding(name, ns, name, serviceAccount);
    }
}
