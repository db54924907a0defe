using System.Text.RegularExpressions;

namespace NetworkOperator.Simulator.Tests.Kubectl;

/// <summary>
/// `kubectl get` and `kubectl get -o wide` of built-in kinds print the columns and cells a Kubernetes 1.32 server
/// sends in its Table answers (pkg/printers/internalversion, or the default Name / Created At table).
/// </summary>
[Trait("Category", "Slow")]
public sealed class KubectlTableColumnsTests : IAsyncLifetime
{
    private const string Age = @"\d+s";
    private const string Date = @"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z";

    private SimulatedApiServer _server = null!;
    private Support.Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _server = await SimulatedApiServer.StartNewAsync();
        _kubectl = new Support.Kubectl(_server);
    }

    public async Task DisposeAsync()
    {
        _kubectl.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Workloads_print_readiness_completions_schedules_and_their_controller()
    {
        await CreateAsync("""
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: web
            spec:
              replicas: 3
              serviceName: web
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  containers:
                  - name: web
                    image: nginx:1.27
                  - name: sidecar
                    image: busybox:1.36
            ---
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: pi
            spec:
              completions: 2
              parallelism: 2
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: pi
                    image: perl:5.34
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata:
              name: nightly
            spec:
              schedule: "0 3 * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: OnFailure
                      containers:
                      - name: backup
                        image: busybox:1.36
            """);
        var uid = (await _kubectl.RunAsync("get", "statefulset", "web", "-o", "jsonpath={.metadata.uid}")).EnsureSuccess().Stdout.Trim();
        await CreateAsync($"""
            apiVersion: apps/v1
            kind: ControllerRevision
            metadata:
              name: web-7b9d5c8f6
              ownerReferences:
              - apiVersion: apps/v1
                kind: StatefulSet
                name: web
                uid: {uid}
                controller: true
            revision: 2
            data: {"{}"}
            ---
            apiVersion: apps/v1
            kind: ControllerRevision
            metadata:
              name: orphan
            revision: 1
            """);

        await AssertTableAsync(["statefulset", "web"], @"NAME\s+READY\s+AGE", $@"web\s+0/3\s+{Age}");
        await AssertTableAsync(["statefulset", "web", "-o", "wide"], @"NAME\s+READY\s+AGE\s+CONTAINERS\s+IMAGES",
            $@"web\s+0/3\s+{Age}\s+web,sidecar\s+nginx:1\.27,busybox:1\.36");

        await AssertTableAsync(["controllerrevisions"], @"NAME\s+CONTROLLER\s+REVISION\s+AGE",
            $@"web-7b9d5c8f6\s+statefulset\.apps/web\s+2\s+{Age}", $@"orphan\s+<none>\s+1\s+{Age}");

        // A job nothing has started yet: running, nothing succeeded, no duration.
        await AssertTableAsync(["job", "pi"], @"NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE", $@"pi\s+Running\s+0/2\s+{Age}");
        var start = DateTime.UtcNow.AddMinutes(-5);
        (await _kubectl.RunAsync("patch", "job", "pi", "--subresource=status", "--type=merge", "-p", $$$"""
            {"status":{"startTime":"{{{start:yyyy-MM-ddTHH:mm:ssZ}}}","completionTime":"{{{start.AddSeconds(95):yyyy-MM-ddTHH:mm:ssZ}}}",
             "succeeded":2,"conditions":[
              {"type":"SuccessCriteriaMet","status":"True","lastProbeTime":null,"lastTransitionTime":"{{{start.AddSeconds(95):yyyy-MM-ddTHH:mm:ssZ}}}"},
              {"type":"Complete","status":"True","lastProbeTime":null,"lastTransitionTime":"{{{start.AddSeconds(95):yyyy-MM-ddTHH:mm:ssZ}}}"}]}}
            """)).EnsureSuccess();
        var controllerUid = (await _kubectl.RunAsync("get", "job", "pi", "-o", "jsonpath={.metadata.uid}")).EnsureSuccess().Stdout.Trim();
        await AssertTableAsync(["job", "pi", "-o", "wide"], @"NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR",
            $@"pi\s+Complete\s+2/2\s+95s\s+{Age}\s+pi\s+perl:5\.34\s+batch\.kubernetes\.io/controller-uid={controllerUid}");

        await AssertTableAsync(["cronjob", "nightly"], @"NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE",
            $@"nightly\s+0 3 \* \* \*\s+<none>\s+False\s+0\s+<none>\s+{Age}");
        await AssertTableAsync(["cronjob", "nightly", "-o", "wide"],
            @"NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR",
            $@"nightly\s+0 3 \* \* \*\s+<none>\s+False\s+0\s+<none>\s+{Age}\s+backup\s+busybox:1\.36\s+<none>");
    }

    [Fact]
    public async Task Policies_rbac_and_webhooks_print_budgets_quota_usage_subjects_and_creation_dates()
    {
        await CreateAsync("""
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata:
              name: web-pdb
            spec:
              minAvailable: 2
              selector:
                matchLabels:
                  app: web
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata:
              name: db-pdb
            spec:
              maxUnavailable: 25%
              selector:
                matchLabels:
                  app: db
            ---
            apiVersion: v1
            kind: ResourceQuota
            metadata:
              name: compute
            spec:
              hard:
                pods: "10"
                requests.cpu: 500m
                requests.memory: 1024Mi
                limits.cpu: "2"
                limits.memory: 2Gi
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata:
              name: pod-reader
            rules:
            - apiGroups: [""]
              resources: ["pods"]
              verbs: ["get", "list"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: read-pods
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: Role
              name: pod-reader
            subjects:
            - kind: User
              name: alice
              apiGroup: rbac.authorization.k8s.io
            - kind: Group
              name: devs
              apiGroup: rbac.authorization.k8s.io
            - kind: ServiceAccount
              name: builder
              namespace: default
            - kind: User
              name: bob
              apiGroup: rbac.authorization.k8s.io
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: node-reader
            rules:
            - apiGroups: [""]
              resources: ["nodes"]
              verbs: ["get"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata:
              name: read-nodes
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: ClusterRole
              name: node-reader
            subjects:
            - kind: ServiceAccount
              name: monitor
              namespace: ops
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingWebhookConfiguration
            metadata:
              name: guard
            webhooks:
            - name: one.guard.example.com
              clientConfig:
                url: https://guard.example.com/one
              rules:
              - apiGroups: ["example.com"]
                apiVersions: ["v1"]
                operations: ["CREATE"]
                resources: ["widgets"]
              sideEffects: None
              admissionReviewVersions: ["v1"]
            - name: two.guard.example.com
              clientConfig:
                url: https://guard.example.com/two
              rules:
              - apiGroups: ["example.com"]
                apiVersions: ["v1"]
                operations: ["UPDATE"]
                resources: ["widgets"]
              sideEffects: None
              admissionReviewVersions: ["v1"]
            """);

        await AssertTableAsync(["pdb"], @"NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE",
            $@"web-pdb\s+2\s+N/A\s+0\s+{Age}", $@"db-pdb\s+N/A\s+25%\s+0\s+{Age}");

        // The quota controller fills the status; until then both usage columns are empty.
        await WaitForAsync(["get", "quota", "compute", "-o", "jsonpath={.status.hard}"], output => output.Contains("pods", StringComparison.Ordinal));
        await AssertTableAsync(["quota", "compute"], @"NAME\s+AGE\s+REQUEST\s+LIMIT",
            $@"compute\s+{Age}\s+pods: 0/10, requests\.cpu: 0/500m, requests\.memory: 0/1Gi\s+limits\.cpu: 0/2, limits\.memory: 0/2Gi");

        await AssertTableAsync(["role", "pod-reader"], @"NAME\s+CREATED AT", $@"pod-reader\s+{Date}");
        await AssertTableAsync(["role", "pod-reader", "-o", "wide"], @"NAME\s+CREATED AT", $@"pod-reader\s+{Date}");
        await AssertTableAsync(["clusterrole", "node-reader"], @"NAME\s+CREATED AT", $@"node-reader\s+{Date}");

        await AssertTableAsync(["rolebinding", "read-pods"], @"NAME\s+ROLE\s+AGE", $@"read-pods\s+Role/pod-reader\s+{Age}");
        await AssertTableAsync(["rolebinding", "read-pods", "-o", "wide"], @"NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS",
            $@"read-pods\s+Role/pod-reader\s+{Age}\s+alice, bob\s+devs\s+default/builder");
        await AssertTableAsync(["clusterrolebinding", "read-nodes", "-o", "wide"],
            @"NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS", $@"read-nodes\s+ClusterRole/node-reader\s+{Age}\s+ops/monitor");

        await AssertTableAsync(["validatingwebhookconfiguration", "guard"], @"NAME\s+WEBHOOKS\s+AGE", $@"guard\s+2\s+{Age}");
    }

    [Fact]
    public async Task Network_storage_and_scheduling_kinds_print_addresses_classes_and_claims()
    {
        await CreateAsync("""
            apiVersion: v1
            kind: Endpoints
            metadata:
              name: backend
            subsets:
            - addresses:
              - ip: 10.0.0.1
              - ip: 10.0.0.2
              - ip: 10.0.0.3
              - ip: 10.0.0.4
              ports:
              - name: http
                port: 8080
                protocol: TCP
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: backend-abcde
              labels:
                kubernetes.io/service-name: backend
            addressType: IPv4
            ports:
            - name: http
              port: 8080
              protocol: TCP
            endpoints:
            - addresses: ["10.0.0.1"]
            - addresses: ["10.0.0.2"]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: only-web
            spec:
              podSelector:
                matchLabels:
                  app: web
                matchExpressions:
                - key: tier
                  operator: In
                  values: ["front", "edge"]
              policyTypes: ["Ingress"]
            ---
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata:
              name: fast
              annotations:
                storageclass.kubernetes.io/is-default-class: "true"
            provisioner: example.com/fast
            reclaimPolicy: Delete
            volumeBindingMode: WaitForFirstConsumer
            allowVolumeExpansion: true
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              name: data
            spec:
              accessModes: ["ReadWriteOnce"]
              storageClassName: fast
              resources:
                requests:
                  storage: 1Gi
            ---
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata:
              name: important
            value: 1000000
            preemptionPolicy: PreemptLowerPriority
            description: for the tests
            """);

        await AssertTableAsync(["endpoints", "backend"], @"NAME\s+ENDPOINTS\s+AGE",
            $@"backend\s+10\.0\.0\.1:8080,10\.0\.0\.2:8080,10\.0\.0\.3:8080 \+ 1 more\.\.\.\s+{Age}");
        await AssertTableAsync(["endpointslice", "backend-abcde"], @"NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE",
            $@"backend-abcde\s+IPv4\s+8080\s+10\.0\.0\.1,10\.0\.0\.2\s+{Age}");
        await AssertTableAsync(["networkpolicy", "only-web"], @"NAME\s+POD-SELECTOR\s+AGE",
            $@"only-web\s+app=web,tier in \(edge,front\)\s+{Age}");
        await AssertTableAsync(["storageclass", "fast"], @"NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE",
            $@"fast \(default\)\s+example\.com/fast\s+Delete\s+WaitForFirstConsumer\s+true\s+{Age}");
        await AssertTableAsync(["pvc", "data"], @"NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE",
            $@"data\s+Pending\s+fast\s+<unset>\s+{Age}");
        await AssertTableAsync(["pvc", "data", "-o", "wide"],
            @"NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE\s+VOLUMEMODE",
            $@"data\s+Pending\s+fast\s+<unset>\s+{Age}\s+Filesystem");
        await AssertTableAsync(["priorityclass", "important"], @"NAME\s+VALUE\s+GLOBAL-DEFAULT\s+AGE\s+PREEMPTIONPOLICY",
            $@"important\s+1000000\s+false\s+{Age}\s+PreemptLowerPriority");
    }

    [Fact]
    public async Task Selectors_and_node_selectors_print_sorted_by_key_with_their_expressions()
    {
        await CreateAsync("""
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: agent
            spec:
              selector:
                matchLabels:
                  zone: a
                  app: agent
                matchExpressions:
                - key: tier
                  operator: In
                  values: [web, cache]
              template:
                metadata:
                  labels:
                    zone: a
                    app: agent
                    tier: web
                spec:
                  nodeSelector:
                    role: gpu
                    feature.node.kubernetes.io/pci-15b3.present: "true"
                  containers:
                  - name: agent
                    image: agent:v1
            ---
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: web
            spec:
              replicas: 2
              selector:
                matchLabels:
                  tier: web
                  app: web
              template:
                metadata:
                  labels:
                    tier: web
                    app: web
                spec:
                  containers:
                  - name: web
                    image: nginx:1.27
            """);

        await AssertTableAsync(["daemonset", "agent", "-o", "wide"],
            @"NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR",
            $@"agent\s+0\s+0\s+0\s+0\s+0\s+feature\.node\.kubernetes\.io/pci-15b3\.present=true,role=gpu\s+{Age}\s+agent\s+agent:v1\s+app=agent,tier in \(cache,web\),zone=a");
        await AssertTableAsync(["replicaset", "web", "-o", "wide"], @"NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR",
            $@"web\s+2\s+\d+\s+\d+\s+{Age}\s+web\s+nginx:1\.27\s+app=web,tier=web");
    }

    private async Task CreateAsync(string yaml) =>
        (await _kubectl.RunAsync("create", "-f", _kubectl.WriteFile($"objects-{Guid.NewGuid():N}.yaml", yaml))).EnsureSuccess();

    /// <summary>The header line and, for each row pattern, one line matching it whole.</summary>
    private async Task AssertTableAsync(string[] getArgs, string header, params string[] rows)
    {
        var output = (await _kubectl.RunAsync(["get", .. getArgs])).EnsureSuccess().Stdout;
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        Assert.Matches($"^{header}$", lines[0]);
        foreach (var row in rows)
        {
            Assert.True(lines.Skip(1).Any(l => Regex.IsMatch(l, $"^{row}$")), $"no line of `kubectl get {string.Join(' ', getArgs)}` matches {row}:\n{output}");
        }
    }

    private async Task WaitForAsync(string[] args, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var output = (await _kubectl.RunAsync(args)).EnsureSuccess().Stdout;
            if (done(output))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"kubectl {string.Join(' ', args)} never got there: {output}");
            await Task.Delay(200);
        }
    }
}
