using System.Text.Json.Serialization;
using k8s.Models;

namespace NetworkOperator.Api.Serialization;

/// <summary>
/// Generated JSON metadata for the built-in kinds the operator renders, applies and caches, and everything they reach.
/// Without it the native binary builds that metadata by reflection on first use, which in native code goes through the
/// runtime type loader: a third of a cold <c>render</c> of the full example (0.37 s against 0.14 s with it) and of the
/// operator's CPU before its first policy is Ready on a small cluster. A few dozen model graphs, not KubernetesClient's
/// ~1,200-model context (which is stripped for its size; see <c>KubernetesJsonContexts</c>): the binary grows by ~5 MB and
/// the resident set does not (the type loader's run-time structures it replaces were at least as large).
/// </summary>
[JsonSerializable(typeof(V1DaemonSet))]
[JsonSerializable(typeof(V1Deployment))]
[JsonSerializable(typeof(V1Pod))]
[JsonSerializable(typeof(V1Node))]
[JsonSerializable(typeof(V1ControllerRevision))]
[JsonSerializable(typeof(V1ConfigMap))]
[JsonSerializable(typeof(V1ServiceAccount))]
[JsonSerializable(typeof(V1ClusterRole))]
[JsonSerializable(typeof(V1ClusterRoleBinding))]
[JsonSerializable(typeof(V1Role))]
[JsonSerializable(typeof(V1RoleBinding))]
[JsonSerializable(typeof(V1Service))]
[JsonSerializable(typeof(V1PersistentVolumeClaim))]
[JsonSerializable(typeof(V1ValidatingWebhookConfiguration))]
[JsonSerializable(typeof(V1CustomResourceDefinition))]
public sealed partial class KubernetesKindsContext : JsonSerializerContext;
