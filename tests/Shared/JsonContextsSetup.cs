using System.Runtime.CompilerServices;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Tests.Shared;

/// <summary>
/// Tests serialize through KubernetesClient set up as in the shipped binary (Program.cs registers this before anything
/// else runs); a module initializer is a test assembly's equivalent of that first line. Linked into every test project
/// that talks to a cluster through KubernetesClient.
/// </summary>
internal static class JsonContextsSetup
{
    [ModuleInitializer]
    internal static void Register() => KubernetesJsonContexts.Register(JsonValueShapesContext.Default, KubernetesKindsContext.Default);
}
