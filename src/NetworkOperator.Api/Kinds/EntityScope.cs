namespace NetworkOperator.Api;

/// <summary>Whether objects of a kind live in a namespace or at cluster level (a CRD's <c>spec.scope</c>).</summary>
public enum EntityScope
{
    Namespaced,
    Cluster,
}
