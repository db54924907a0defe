namespace NetworkOperator.Simulator.Schema;

/// <summary>The built-in types served from the start, with the names, short names and categories of Kubernetes 1.32.</summary>
internal static class BuiltInResources
{
    private static readonly string[] All = ["all"];

    public static IReadOnlyList<ResourceType> Create() =>
    [
        // core
        Core("Namespace", "namespaces", "namespace", namespaced: false, shortNames: ["ns"], status: true,
            fields: ["status.phase"], returnsObject: true),
        Core("Node", "nodes", "node", namespaced: false, shortNames: ["no"], status: true, keepStatus: true,
            fields: ["spec.unschedulable"], returnsObject: true),
        Core("Pod", "pods", "pod", shortNames: ["po"], categories: All, status: true, returnsObject: true,
            fields: ["spec.nodeName", "status.phase", "spec.schedulerName", "spec.restartPolicy", "spec.serviceAccountName",
                "status.podIP", "status.nominatedNodeName", "spec.hostNetwork"],
            extraSubresources: ["eviction", "binding", "log"]),
        Core("Service", "services", "service", shortNames: ["svc"], categories: All, status: true, returnsObject: true,
            fields: ["spec.clusterIP", "spec.type"]),
        Core("ServiceAccount", "serviceaccounts", "serviceaccount", shortNames: ["sa"], returnsObject: true),
        Core("ConfigMap", "configmaps", "configmap", shortNames: ["cm"]),
        Core("Secret", "secrets", "secret", fields: ["type"]),
        Core("Event", "events", "event", shortNames: ["ev"],
            fields: ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
                "reportingComponent", "source", "type"]),
        Core("PersistentVolumeClaim", "persistentvolumeclaims", "persistentvolumeclaim", shortNames: ["pvc"], status: true, returnsObject: true),
        Core("PersistentVolume", "persistentvolumes", "persistentvolume", namespaced: false, shortNames: ["pv"], status: true,
            returnsObject: true),
        Core("Endpoints", "endpoints", "endpoints", shortNames: ["ep"]),
        Core("ReplicationController", "replicationcontrollers", "replicationcontroller", shortNames: ["rc"],
            categories: All, status: true, scale: ScaleSubresource.ReplicationController),
        Core("LimitRange", "limitranges", "limitrange", shortNames: ["limits"]),
        Core("ResourceQuota", "resourcequotas", "resourcequota", shortNames: ["quota"], status: true, returnsObject: true),
        // apps
        Of("apps", "v1", "DaemonSet", "daemonsets", "daemonset", shortNames: ["ds"], categories: All, status: true),
        Of("apps", "v1", "Deployment", "deployments", "deployment", shortNames: ["deploy"], categories: All, status: true, scale: ScaleSubresource.Workload),
        Of("apps", "v1", "ReplicaSet", "replicasets", "replicaset", shortNames: ["rs"], categories: All, status: true, scale: ScaleSubresource.Workload),
        Of("apps", "v1", "StatefulSet", "statefulsets", "statefulset", shortNames: ["sts"], categories: All, status: true, scale: ScaleSubresource.Workload),
        Of("apps", "v1", "ControllerRevision", "controllerrevisions", "controllerrevision"),
        // batch
        Of("batch", "v1", "Job", "jobs", "job", categories: All, status: true),
        Of("batch", "v1", "CronJob", "cronjobs", "cronjob", shortNames: ["cj"], categories: All, status: true),
        // rbac
        Of("rbac.authorization.k8s.io", "v1", "Role", "roles", "role"),
        Of("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", "rolebinding"),
        Of("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", "clusterrole", namespaced: false),
        Of("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding", namespaced: false),
        // apiextensions
        Of("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", "customresourcedefinition",
            namespaced: false, shortNames: ["crd", "crds"], status: true, returnsObject: true),
        // admissionregistration
        Of("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration", "validatingwebhookconfigurations",
            "validatingwebhookconfiguration", namespaced: false, categories: ["api-extensions"]),
        Of("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations",
            "mutatingwebhookconfiguration", namespaced: false, categories: ["api-extensions"]),
        // coordination
        Of("coordination.k8s.io", "v1", "Lease", "leases", "lease"),
        // policy
        Of("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", "poddisruptionbudget", shortNames: ["pdb"], status: true),
        // events.k8s.io
        Of("events.k8s.io", "v1", "Event", "events", "event", shortNames: ["ev"],
            fields: ["regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid", "reason", "type",
                "reportingController"]),
        // storage and networking kinds a chart commonly carries
        Of("storage.k8s.io", "v1", "StorageClass", "storageclasses", "storageclass", namespaced: false, shortNames: ["sc"]),
        Of("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", "networkpolicy", shortNames: ["netpol"]),
        Of("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", "priorityclass", namespaced: false, shortNames: ["pc"]),
        Of("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", "endpointslice"),
    ];

    private static ResourceType Core(string kind, string plural, string singular, bool namespaced = true,
        string[]? shortNames = null, string[]? categories = null, bool status = false, bool keepStatus = false,
        string[]? fields = null, bool returnsObject = false, string[]? extraSubresources = null, ScaleSubresource? scale = null) =>
        Of("", "v1", kind, plural, singular, namespaced, shortNames, categories, status, keepStatus, fields, returnsObject,
            extraSubresources, scale);

    private static ResourceType Of(string group, string version, string kind, string plural, string singular,
        bool namespaced = true, string[]? shortNames = null, string[]? categories = null, bool status = false,
        bool keepStatus = false, string[]? fields = null, bool returnsObject = false, string[]? extraSubresources = null,
        ScaleSubresource? scale = null) =>
        new()
        {
            Group = group,
            Version = version,
            Kind = kind,
            Plural = plural,
            Singular = singular,
            Namespaced = namespaced,
            ShortNames = shortNames ?? [],
            Categories = categories ?? [],
            HasStatusSubresource = status,
            TracksGeneration = status,
            KeepsStatusOnCreate = keepStatus,
            SelectableFields = fields ?? [],
            ReturnsDeletedObject = returnsObject,
            ExtraSubresources = extraSubresources ?? [],
            Scale = scale,
        };
}
