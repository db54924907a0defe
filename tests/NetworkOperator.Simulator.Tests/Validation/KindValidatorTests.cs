using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Validation;

namespace NetworkOperator.Simulator.Tests.Validation;

/// <summary>The main rules of each kind's validator, with the real server's field paths and messages.</summary>
public sealed class KindValidatorTests
{
    private const string Pod = """
        {"metadata":{"name":"p","namespace":"default"},"spec":{"restartPolicy":"Always","dnsPolicy":"ClusterFirst",
         "containers":[{"name":"c","image":"i","imagePullPolicy":"IfNotPresent","terminationMessagePolicy":"File"}]}}
        """;

    [Fact]
    public void A_valid_pod_has_no_errors() => Assert.Empty(Errors("", "Pod", Pod));

    [Theory]
    [InlineData("Namespace", "", "Team-A", "metadata.name: Invalid value: \"Team-A\": a lowercase RFC 1123 label must consist of")]
    [InlineData("Service", "", "1web", "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of")]
    [InlineData("ConfigMap", "", "a_b", "metadata.name: Invalid value: \"a_b\": a lowercase RFC 1123 subdomain must consist of")]
    [InlineData("ClusterRole", "rbac.authorization.k8s.io", "a/b", "metadata.name: Invalid value: \"a/b\": may not contain '/'")]
    public void Names_follow_the_rule_of_their_kind(string kind, string group, string name, string expected)
    {
        var errors = Errors(group, kind, $$$"""{"metadata":{"name":"{{{name}}}"},"spec":{"ports":[{"port":80,"protocol":"TCP","targetPort":80}],"type":"ClusterIP","sessionAffinity":"None"}}""");
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Rbac_names_may_contain_colons_and_capitals() =>
        Assert.Empty(Errors("rbac.authorization.k8s.io", "ClusterRole", """{"metadata":{"name":"system:Controller"}}"""));

    [Fact]
    public void Label_keys_values_and_annotation_size_are_checked()
    {
        var big = new string('x', 262_145);
        var errors = Errors("", "ConfigMap", """{"metadata":{"name":"c","labels":{"bad key":"ok","k":"-v"},"annotations":{"a":""" + "\"" + big + "\"}}}");
        Assert.Contains(errors, e => e.StartsWith("metadata.labels: Invalid value: \"bad key\": name part must consist of", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("metadata.labels: Invalid value: \"-v\": a valid label must be an empty string or consist of", StringComparison.Ordinal));
        Assert.Contains("metadata.annotations: Too long: may not be more than 262144 bytes", errors);
    }

    [Fact]
    public void Generate_name_may_end_in_a_dash()
    {
        Assert.Empty(Errors("", "ConfigMap", """{"metadata":{"generateName":"cm-","name":"cm-abcde"}}"""));
        Assert.Contains("metadata.name: Required value: name or generateName is required", Errors("", "ConfigMap", """{"metadata":{}}"""));
    }

    [Fact]
    public void ConfigMap_keys_and_total_size()
    {
        var errors = Errors("", "ConfigMap", $$$"""{"metadata":{"name":"c"},"data":{"a/b":"x","big":"{{{new string('x', 1024 * 1024)}}}"}}""");
        Assert.Contains(errors, e => e.StartsWith("data[a/b]: Invalid value: \"a/b\": a valid config key must consist of alphanumeric characters", StringComparison.Ordinal));
        Assert.Contains("[]: Too long: may not be more than 1048576 bytes", errors);
    }

    [Fact]
    public void Tls_secrets_need_their_keys() =>
        Assert.Equal(["data[tls.crt]: Required value", "data[tls.key]: Required value"],
            Errors("", "Secret", """{"metadata":{"name":"s"},"type":"kubernetes.io/tls","data":{}}"""));

    [Fact]
    public void Container_resource_names_get_the_general_rule_then_the_container_rule()
    {
        var spec = JsonNode.Parse(Pod)!.AsObject();
        spec["spec"]!["containers"]![0]!["resources"] = JsonNode.Parse("""{"limits":{"foo":"1","storage":"1","requests.example.com/gpu":"1"}}""");

        Assert.Equal(
            [
                "spec.containers[0].resources.limits[foo]: Invalid value: \"foo\": must be a standard resource for containers",
                "spec.containers[0].resources.limits[foo]: Invalid value: \"foo\": must be a standard resource type or fully qualified",
                "spec.containers[0].resources.limits[requests.example.com/gpu]: Invalid value: \"requests.example.com/gpu\": doesn't follow extended resource name standard",
                "spec.containers[0].resources.limits[storage]: Invalid value: \"storage\": must be a standard resource for containers",
            ],
            Errors("", "Pod", spec.ToJsonString()).Where(e => e.Contains("resources.limits[", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Pod_spec_rules()
    {
        var spec = JsonNode.Parse(Pod)!.AsObject();
        var container = spec["spec"]!["containers"]![0]!.AsObject();
        container["ports"] = JsonNode.Parse("""[{"name":"Metrics","containerPort":70000,"protocol":"TCP"},{"containerPort":80,"protocol":"XTP"}]""");
        container["env"] = JsonNode.Parse("""[{"name":"A=B","value":"x"},{"name":"1.ok-name","valueFrom":{}}]""");
        container["resources"] = JsonNode.Parse("""{"requests":{"cpu":"2","nvidia.com/gpu":"1"},"limits":{"cpu":"1500m"}}""");
        container["livenessProbe"] = JsonNode.Parse("""{"exec":{"command":["true"]},"httpGet":{"path":"/","port":8080,"scheme":"HTTP"},"periodSeconds":-1,"successThreshold":2}""");
        container["volumeMounts"] = JsonNode.Parse("""[{"name":"v","mountPath":"/a"},{"name":"v","mountPath":"/a"}]""");
        spec["spec"]!["volumes"] = JsonNode.Parse("""[{"name":"v","hostPath":{"path":"/x"},"emptyDir":{}},{"name":"w"},{"name":"h","hostPath":{"path":"/x","type":"Folder"}}]""");
        spec["spec"]!["tolerations"] = JsonNode.Parse("""[{"operator":"Equal","value":"x"},{"key":"k","operator":"Exists","value":"v","effect":"NoRun"}]""");
        spec["spec"]!["affinity"] = JsonNode.Parse("""{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"k","operator":"Near","values":["a"]},{"key":"k","operator":"In"}]}]}}}""");

        var errors = Errors("", "Pod", spec.ToJsonString());

        string[] expected =
        [
            "spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type",
            "spec.volumes[2].hostPath.type: Unsupported value: \"Folder\": supported values: \"\", \"BlockDevice\", \"CharDevice\", \"Directory\", \"DirectoryOrCreate\", \"File\", \"FileOrCreate\", \"Socket\"",
            "spec.volumes[1]: Required value: must specify a volume type",
            "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1500m",
            "spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources",
            "spec.containers[0].ports[0].name: Invalid value: \"Metrics\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
            "spec.containers[0].ports[1].protocol: Unsupported value: \"XTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
            "spec.containers[0].env[1].valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
            "spec.containers[0].volumeMounts[0].name: Not found: \"v\"",
            "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/a\": must be unique",
            "spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type",
            "spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0",
            "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: Invalid value: \"Near\": not a valid selector operator",
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
            "spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            "spec.tolerations[1].operator: Invalid value: core.Toleration{Key:\"k\", Operator:\"Exists\", Value:\"v\", Effect:\"NoRun\", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is 'Exists'",
            "spec.tolerations[1].effect: Unsupported value: \"NoRun\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
        ];
        foreach (var message in expected)
        {
            Assert.Contains(message, errors);
        }

        Assert.DoesNotContain(errors, e => e.Contains("env[1].name", StringComparison.Ordinal));
    }

    [Fact]
    public void Deployment_needs_a_non_empty_selector_and_job_an_allowed_restart_policy()
    {
        var deployment = Errors("apps", "Deployment", """
            {"metadata":{"name":"d"},"spec":{"replicas":1,"selector":{},"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":0,"maxSurge":0}},
             "template":{"metadata":{"labels":{"a":"b"}},"spec":{"restartPolicy":"Always","dnsPolicy":"ClusterFirst",
             "containers":[{"name":"c","image":"i","imagePullPolicy":"Always","terminationMessagePolicy":"File"}]}}}}
            """);
        Assert.Contains("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment", deployment);
        Assert.Contains("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0", deployment);

        var job = Errors("batch", "Job", """
            {"metadata":{"name":"j"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},
             "spec":{"restartPolicy":"Always","dnsPolicy":"ClusterFirst","containers":[{"name":"c","image":"i","imagePullPolicy":"Always","terminationMessagePolicy":"File"}]}}}}
            """);
        Assert.Equal(["spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\""], job);
    }

    [Fact]
    public void Updates_keep_immutable_fields()
    {
        Assert.Equal(["spec.clusterIP: Invalid value: \"10.0.0.9\": field is immutable"],
            Errors("", "Service", Service("10.0.0.9"), Service("10.0.0.5")));
        Assert.Equal(["roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", Name:\"b\"}: cannot change roleRef"],
            Errors("rbac.authorization.k8s.io", "ClusterRoleBinding", Binding("b"), Binding("a")));

        static string Service(string ip) =>
            $$$"""{"metadata":{"name":"s"},"spec":{"clusterIP":"{{{ip}}}","type":"ClusterIP","sessionAffinity":"None","ports":[{"port":80,"protocol":"TCP","targetPort":80}]}}""";
        static string Binding(string role) =>
            $$$"""{"metadata":{"name":"b"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"{{{role}}}"},"subjects":[{"kind":"ServiceAccount","name":"sa","namespace":"n"}]}""";
    }

    [Fact]
    public void Rbac_rules_and_subjects()
    {
        var role = Errors("rbac.authorization.k8s.io", "Role", """{"metadata":{"name":"r"},"rules":[{"apiGroups":[""],"resources":["pods"]},{"verbs":["get"],"nonResourceURLs":["/healthz"]},{"verbs":["get"]}]}""");
        Assert.Equal(
        [
            "rules[0].verbs: Required value: verbs must contain at least one value",
            "rules[1].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to non-resource URLs",
            "rules[2].apiGroups: Required value: resource rules must supply at least one api group",
            "rules[2].resources: Required value: resource rules must supply at least one resource",
        ], role);

        var binding = Errors("rbac.authorization.k8s.io", "ClusterRoleBinding", """{"metadata":{"name":"b"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"r"},"subjects":[{"kind":"ServiceAccount","name":"sa"},{"kind":"Robot","name":"x"}]}""");
        Assert.Equal(
        [
            "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
            "subjects[0].namespace: Required value",
            "subjects[1].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"",
        ], binding);
    }

    [Fact]
    public void Webhook_configuration_lease_and_pdb_rules()
    {
        var webhooks = Errors("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", """
            {"metadata":{"name":"w"},"webhooks":[{"name":"short","clientConfig":{"url":"http://127.0.0.1/x"},"admissionReviewVersions":["v2"],
             "timeoutSeconds":31,"failurePolicy":"Fail","matchPolicy":"Equivalent","rules":[{"operations":["MAKE"],"apiGroups":[""],"apiVersions":["v1"],"resources":["pods"]}]}]}
            """);
        Assert.Equal(
        [
            "webhooks[0].name: Invalid value: \"short\": should be a domain with at least three segments separated by dots",
            "webhooks[0].rules[0].operations[0]: Unsupported value: \"MAKE\": supported values: \"*\", \"CONNECT\", \"CREATE\", \"DELETE\", \"UPDATE\"",
            "webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun",
            "webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds",
            "webhooks[0].admissionReviewVersions: Invalid value: []string{\"v2\"}: must include at least one of v1, v1beta1",
            "webhooks[0].clientConfig.url: Invalid value: \"http://127.0.0.1/x\": 'https' is the only allowed URL scheme",
        ], webhooks);

        Assert.Equal(["spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"],
            Errors("coordination.k8s.io", "Lease", """{"metadata":{"name":"l"},"spec":{"leaseDurationSeconds":0}}"""));
        Assert.Equal(["spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%"],
            Errors("policy", "PodDisruptionBudget", """{"metadata":{"name":"p"},"spec":{"minAvailable":"150%","selector":{"matchLabels":{"a":"b"}}}}"""));
    }

    [Theory]
    [InlineData("1000m", "1")]
    [InlineData("0.5", "500m")]
    [InlineData("1024Mi", "1Gi")]
    [InlineData("1.5Gi", "1536Mi")]
    [InlineData("1e3", "1e3")]
    [InlineData("100", "100")]
    public void Quantities_print_canonically(string text, string canonical) => Assert.Equal(canonical, Quantity.TryParse(text)!.ToString());

    [Theory]
    [InlineData("1.2.3")]
    [InlineData("1 Gi")]
    [InlineData("abc")]
    [InlineData("1Gb")]
    public void Malformed_quantities_do_not_parse(string text) => Assert.Null(Quantity.TryParse(text));

    private static List<string> Errors(string group, string kind, string json, string? old = null) =>
        BuiltInValidation.Validate(group, kind, isCustom: false, JsonNode.Parse(json)!.AsObject(),
                old is null ? null : JsonNode.Parse(old)!.AsObject(), subresource: null)
            .Select(e => $"{e.Field}: {e.Body}").ToList();
}
