namespace NetworkOperator.Tests.Shared;

/// <summary>
/// cert-manager's Issuer and Certificate kinds, served schemaless: the nv-ipam webhook of the full example policy gets its
/// certificate from cert-manager, and a simulated cluster needs only its API for the operator to create them.
/// </summary>
internal static class CertManagerCrds
{
    public const string Yaml = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: issuers.cert-manager.io
        spec:
          group: cert-manager.io
          scope: Namespaced
          names: {kind: Issuer, listKind: IssuerList, plural: issuers, singular: issuer}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        ---
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: certificates.cert-manager.io
        spec:
          group: cert-manager.io
          scope: Namespaced
          names: {kind: Certificate, listKind: CertificateList, plural: certificates, singular: certificate}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """;
}
