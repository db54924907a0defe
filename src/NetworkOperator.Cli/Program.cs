using NetworkOperator.Api.Serialization;
using NetworkOperator.Cli;
using NetworkOperator.Runtime.Client;

// Before anything serializes: KubernetesClient's JSON options freeze on first use.
KubernetesJsonContexts.Register(JsonValueShapesContext.Default, KubernetesKindsContext.Default);

return await CliApplication.RunAsync(args);
