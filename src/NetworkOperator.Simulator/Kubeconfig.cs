namespace NetworkOperator.Simulator;

/// <summary>
/// The kubeconfig of a simulated server: one cluster (its HTTPS endpoint and certificate), one context named
/// "simulator", and a user whose bearer token
/// authenticates as the cluster admin (system:masters). The file is readable by its owner only, as it holds a credential.
/// </summary>
public static class Kubeconfig
{
    public const string ContextName = "simulator";

    public static string Render(Uri server, string token, string? certificateAuthorityPem = null) => $$"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: {{ContextName}}
          cluster:
            server: {{server.ToString().TrimEnd('/')}}{{(certificateAuthorityPem is null ? "" : "\n    certificate-authority-data: " + Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(certificateAuthorityPem)))}}
        contexts:
        - name: {{ContextName}}
          context:
            cluster: {{ContextName}}
            user: {{ContextName}}
            namespace: default
        current-context: {{ContextName}}
        users:
        - name: {{ContextName}}
          user:
            token: {{token}}
        preferences: {}

        """;

    /// <summary>Writes the kubeconfig with mode 0600 (owner read/write) from the moment the file exists.</summary>
    public static void Write(string path, Uri server, string token, string? certificateAuthorityPem = null)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(Render(server, token, certificateAuthorityPem));
        }

        if (!OperatingSystem.IsWindows())
        {
            // An existing file keeps its old mode on open; tighten it.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
