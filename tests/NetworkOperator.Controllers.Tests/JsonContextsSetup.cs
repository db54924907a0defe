using System.Runtime.CompilerServices;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Tests;

/// <summary>
/// Tests serialize through the same source-generated JSON contexts as the shipped binary (Program.cs registers them
/// before anything else runs); a module initializer is the test assembly's equivalent of that first line.
/// </summary>
internal static class JsonContextsSetup
{
    [ModuleInitializer]
    internal static void Register() => KubernetesJsonContexts.Register(JsonValueShapesContext.Default);
}
