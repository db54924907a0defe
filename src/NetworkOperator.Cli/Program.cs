using NetworkOperator.Cli;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Runtime.Client;

// Before anything serializes: KubernetesClient's JSON options freeze on first use.
KubernetesJsonContexts.Register(OperatorJsonContext.Default);

return await CliApplication.RunAsync(args);
