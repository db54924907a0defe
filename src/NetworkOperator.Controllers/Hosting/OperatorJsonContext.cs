using System.Text.Json.Serialization;
using k8s;
using NetworkOperator.Api.Cni;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Runtime.Client;

namespace NetworkOperator.Controllers.Hosting;

/// <summary>
/// Source-generated JSON metadata for the kinds the operator lists and watches through KubernetesClient: the
/// operator's own CRDs and <see cref="KubeObject"/>, whose extension-data dictionary of <c>JsonElement</c> values the
/// native binary could not serialize by reflection. Registered with <see cref="KubernetesJsonContexts.Register"/>.
/// </summary>
[JsonSerializable(typeof(KubeObject))]
[JsonSerializable(typeof(ObjectList<KubeObject>))]
[JsonSerializable(typeof(Watcher<KubeObject>.WatchEvent))]
[JsonSerializable(typeof(NicClusterPolicy))]
[JsonSerializable(typeof(ObjectList<NicClusterPolicy>))]
[JsonSerializable(typeof(Watcher<NicClusterPolicy>.WatchEvent))]
[JsonSerializable(typeof(NicNodePolicy))]
[JsonSerializable(typeof(ObjectList<NicNodePolicy>))]
[JsonSerializable(typeof(Watcher<NicNodePolicy>.WatchEvent))]
[JsonSerializable(typeof(MacvlanNetwork))]
[JsonSerializable(typeof(ObjectList<MacvlanNetwork>))]
[JsonSerializable(typeof(Watcher<MacvlanNetwork>.WatchEvent))]
[JsonSerializable(typeof(HostDeviceNetwork))]
[JsonSerializable(typeof(ObjectList<HostDeviceNetwork>))]
[JsonSerializable(typeof(Watcher<HostDeviceNetwork>.WatchEvent))]
[JsonSerializable(typeof(IPoIBNetwork))]
[JsonSerializable(typeof(ObjectList<IPoIBNetwork>))]
[JsonSerializable(typeof(Watcher<IPoIBNetwork>.WatchEvent))]
[JsonSerializable(typeof(NetworkAttachmentDefinition))]
[JsonSerializable(typeof(ObjectList<NetworkAttachmentDefinition>))]
[JsonSerializable(typeof(Watcher<NetworkAttachmentDefinition>.WatchEvent))]
public sealed partial class OperatorJsonContext : JsonSerializerContext;
