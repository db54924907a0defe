namespace NetworkOperator.Simulator;

/// <summary>The kubeconfig of a simulated server: one cluster, one context named "simulator", no credentials.</summary>
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
          user: {}
        preferences: {}

        """;
}
