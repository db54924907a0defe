namespace NetworkOperator.Rendering;

/// <summary>Detected once at start-up; OpenShift adds SCC roles, the driver toolkit and a different CNI bin dir.</summary>
public enum ClusterType
{
    Kubernetes,
    OpenShift,
}
