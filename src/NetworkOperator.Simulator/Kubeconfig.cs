namespace NetworkOperator.Simulator;

/// <summary>
/// The kubeconfig of a simulated server: one cluster, one context named "simulator". The server authenticates nobody;
/// the user still carries a placeholder token because KubernetesClient refuses a user entry without credentials
/// (kubectl and helm send it and the server ignores it).
/// </summary>
public static class Kubeconfig
{
    public const string ContextName = "simulator";

    public static string Render(Uri server) => $$"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: {{ContextName}}
          cluster:
            server: {{server.ToString().TrimEnd('/')}}
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
            token: simulator
        preferences: {}

        """;
}
