using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Exceptions;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Runtime.Tests.Client;

public sealed class KubeconfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kubeconfig-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Reads_the_current_context_and_resolves_a_relative_certificate_authority_against_the_file()
    {
        var path = WriteKubeconfig();

        var config = Kubeconfig.Load(path);

        Assert.Equal("https://127.0.0.1:6443", config.Host.TrimEnd('/'));
        Assert.Equal("token-a", config.AccessToken);
        Assert.Equal("team-a", config.Namespace);
        Assert.Equal("a", config.CurrentContext);
        var ca = Assert.Single(config.SslCaCerts!);
        Assert.Equal("CN=kubeconfig-test-ca", ca.Subject);
    }

    [Fact]
    public void Selects_a_named_context()
    {
        var config = Kubeconfig.Load(WriteKubeconfig(), "b");

        Assert.Equal("https://127.0.0.1:7443", config.Host.TrimEnd('/'));
        Assert.Equal("token-b", config.AccessToken);
        Assert.True(config.SkipTlsVerify);
    }

    [Fact]
    public void Agrees_with_the_client_librarys_own_loader()
    {
        var path = WriteKubeconfig();

        var ours = Kubeconfig.Load(path);
        var theirs = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);

        Assert.Equal(theirs.Host, ours.Host);
        Assert.Equal(theirs.AccessToken, ours.AccessToken);
        Assert.Equal(theirs.Namespace, ours.Namespace);
        Assert.Equal(theirs.SkipTlsVerify, ours.SkipTlsVerify);
        Assert.Equal(theirs.SslCaCerts!.Single().Thumbprint, ours.SslCaCerts!.Single().Thumbprint);
    }

    [Fact]
    public void An_unknown_context_is_a_kubeconfig_error()
    {
        var error = Assert.Throws<KubeConfigException>(() => Kubeconfig.Load(WriteKubeconfig(), "missing"));

        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_yaml_is_an_error_naming_the_file()
    {
        var path = Path.Combine(_dir, "broken");
        File.WriteAllText(path, "clusters: [\n  - name: x\n");

        var error = Assert.Throws<KubeConfigException>(() => Kubeconfig.Load(path));

        Assert.StartsWith(path + ": not a kubeconfig", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_and_missing_files_are_errors_naming_the_file()
    {
        var empty = Path.Combine(_dir, "empty");
        File.WriteAllText(empty, "");
        var missing = Path.Combine(_dir, "missing");

        Assert.Equal(empty + ": the file is empty", Assert.Throws<KubeConfigException>(() => Kubeconfig.Load(empty)).Message);
        Assert.StartsWith(missing + ": ", Assert.Throws<KubeConfigException>(() => Kubeconfig.Load(missing)).Message, StringComparison.Ordinal);
    }

    private string WriteKubeconfig()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kubeconfig-test-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        Directory.CreateDirectory(Path.Combine(_dir, "pki"));
        File.WriteAllText(Path.Combine(_dir, "pki", "ca.crt"), ca.ExportCertificatePem());

        var path = Path.Combine(_dir, "config");
        File.WriteAllText(path, """
            apiVersion: v1
            kind: Config
            preferences: {}
            current-context: a
            clusters:
            - name: one
              cluster:
                server: https://127.0.0.1:6443
                certificate-authority: pki/ca.crt
            - name: two
              cluster:
                server: https://127.0.0.1:7443
                insecure-skip-tls-verify: true
            users:
            - name: alice
              user:
                token: token-a
            - name: bob
              user:
                token: token-b
            contexts:
            - name: a
              context:
                cluster: one
                user: alice
                namespace: team-a
            - name: b
              context:
                cluster: two
                user: bob
            """);
        return path;
    }
}
