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

    /// <summary>
    /// The Secret cert-manager's controller issues for the nv-ipam webhook's Certificate (type kubernetes.io/tls, a
    /// self-signed serving certificate for its Service). A simulated cluster runs no cert-manager, and the kubelet
    /// keeps a pod whose Secret volume does not exist in ContainerCreating, so a test that needs nv-ipam ready plays
    /// cert-manager's part with this.
    /// </summary>
    public static string IssuedWebhookSecretYaml(string ns)
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest($"CN=nv-ipam-webhook-service.{ns}.svc", key,
            System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        static string Base64(string pem) => Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(pem));
        return $"""
            apiVersion: v1
            kind: Secret
            type: kubernetes.io/tls
            metadata:
              name: nv-ipam-webhook-server-cert
              namespace: {ns}
            data:
              tls.crt: {Base64(certificate.ExportCertificatePem())}
              tls.key: {Base64(key.ExportPkcs8PrivateKeyPem())}
            """;
    }
}
