using System.Text.Json.Serialization;
using NetworkOperator.Api.Cni;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Serialization;

/// <summary>
/// Source-generated metadata for the API kinds, first in <see cref="KubernetesObjectSerializer"/>'s resolver chain:
/// compiled ahead of time, so the native operator binary needs no run-time code for value-type members such as
/// <c>status.upgrade.nodeCountsByState</c>.
/// </summary>
[JsonSerializable(typeof(NicClusterPolicy))]
[JsonSerializable(typeof(NicNodePolicy))]
[JsonSerializable(typeof(MacvlanNetwork))]
[JsonSerializable(typeof(HostDeviceNetwork))]
[JsonSerializable(typeof(IPoIBNetwork))]
[JsonSerializable(typeof(NetworkAttachmentDefinition))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
