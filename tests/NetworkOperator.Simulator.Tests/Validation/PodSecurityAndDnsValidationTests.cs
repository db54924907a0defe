using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Validation;

namespace NetworkOperator.Simulator.Tests.Validation;

/// <summary>
/// Pod spec rules the real server checks beyond containers and volumes: security contexts (pod and container), sysctls,
/// DNS config, host aliases, topology spread constraints, pull secrets, gates, the OS; each with the server's text.
/// </summary>
public sealed class PodSecurityAndDnsValidationTests
{
    private const string Pod = """
        {"metadata":{"name":"p","namespace":"default"},"spec":{"restartPolicy":"Always","dnsPolicy":"ClusterFirst",
         "containers":[{"name":"c","image":"i","imagePullPolicy":"IfNotPresent","terminationMessagePolicy":"File"}]}}
        """;

    [Fact]
    public void What_the_operator_renders_for_drivers_and_controllers_is_valid()
    {
        Assert.Empty(Errors(spec => { }, container =>
            container["securityContext"] = JsonNode.Parse("""{"privileged":true,"runAsUser":0,"seLinuxOptions":{"level":"s0"},"capabilities":{"add":["NET_ADMIN","SYS_ADMIN"]}}""")));
        Assert.Empty(Errors(
            spec => spec["securityContext"] = JsonNode.Parse("""{"runAsNonRoot":true,"fsGroup":65532,"seccompProfile":{"type":"RuntimeDefault"}}"""),
            container => container["securityContext"] = JsonNode.Parse("""{"allowPrivilegeEscalation":false,"readOnlyRootFilesystem":true,"capabilities":{"drop":["ALL"]}}""")));
    }

    [Fact]
    public void Privilege_escalation_may_not_be_refused_to_a_privileged_container()
    {
        var errors = Errors(spec => { }, container =>
            container["securityContext"] = JsonNode.Parse("""{"privileged":true,"allowPrivilegeEscalation":false,"capabilities":{"add":["CAP_SYS_ADMIN"]},"runAsUser":-1}"""));
        Assert.Equal(
        [
            "spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive",
            """spec.containers[0].securityContext: Invalid value: {"privileged":true,"allowPrivilegeEscalation":false,"capabilities":{"add":["CAP_SYS_ADMIN"]},"runAsUser":-1}: cannot set `allowPrivilegeEscalation` to false and `privileged` to true""",
            """spec.containers[0].securityContext: Invalid value: {"privileged":true,"allowPrivilegeEscalation":false,"capabilities":{"add":["CAP_SYS_ADMIN"]},"runAsUser":-1}: cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN""",
        ], errors);
    }

    [Fact]
    public void Seccomp_and_apparmor_profiles()
    {
        var errors = Errors(
            spec => spec["securityContext"] = JsonNode.Parse("""{"seccompProfile":{"type":"Localhost"},"appArmorProfile":{"type":"RuntimeDefault","localhostProfile":"x"}}"""),
            container => container["securityContext"] = JsonNode.Parse("""{"seccompProfile":{"type":"RuntimeDefault","localhostProfile":"p.json"},"appArmorProfile":{"type":"Strict"}}"""));
        Assert.Equal(
        [
            """spec.containers[0].securityContext.seccompProfile.localhostProfile: Invalid value: {"type":"RuntimeDefault","localhostProfile":"p.json"}: can only be set when seccomp type is Localhost""",
            "spec.containers[0].securityContext.appArmorProfile.type: Unsupported value: \"Strict\": supported values: \"Localhost\", \"RuntimeDefault\", \"Unconfined\"",
            "spec.securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost",
            """spec.securityContext.appArmorProfile.localhostProfile: Invalid value: "x": can only be set when AppArmor type is Localhost""",
        ], errors);
        Assert.Contains("spec.securityContext.seccompProfile.localhostProfile: Invalid value: \"/etc/p.json\": must be a relative path",
            Errors(spec => spec["securityContext"] = JsonNode.Parse("""{"seccompProfile":{"type":"Localhost","localhostProfile":"/etc/p.json"}}"""), _ => { }));
    }

    [Fact]
    public void Pod_ids_sysctls_and_their_host_namespaces()
    {
        var errors = Errors(spec =>
        {
            spec["hostNetwork"] = true;
            spec["hostPID"] = true;
            spec["shareProcessNamespace"] = true;
            spec["securityContext"] = JsonNode.Parse("""
                {"fsGroup":-5,"supplementalGroups":[1,2147483648],"fsGroupChangePolicy":"Sometimes",
                 "sysctls":[{"name":"net.core.somaxconn","value":"1024"},{"name":"kernel.shm_rmid_forced","value":"1"},
                            {"name":"Kernel.Bad","value":"1"},{"name":"kernel.shm_rmid_forced","value":"0"},{"name":"","value":"1"},
                            {"name":"net/ipv4/ip_forward","value":"1"}]}
                """);
        }, _ => { });
        Assert.Equal(
        [
            "spec.securityContext.fsGroup: Invalid value: -5: must be between 0 and 2147483647, inclusive",
            "spec.securityContext.supplementalGroups[1]: Invalid value: 2147483648: must be between 0 and 2147483647, inclusive",
            "spec.securityContext.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled",
            "spec.securityContext.sysctls[0].name: Invalid value: \"net.core.somaxconn\": may not be specified when 'hostNetwork' is true",
            @"spec.securityContext.sysctls[2].name: Invalid value: ""Kernel.Bad"": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$",
            "spec.securityContext.sysctls[3].name: Duplicate value: \"kernel.shm_rmid_forced\"",
            "spec.securityContext.sysctls[4].name: Required value",
            "spec.securityContext.sysctls[5].name: Invalid value: \"net/ipv4/ip_forward\": may not be specified when 'hostNetwork' is true",
            "spec.securityContext.fsGroupChangePolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnRootMismatch\"",
        ], errors);

        var ipc = Errors(spec =>
        {
            spec["hostIPC"] = true;
            spec["securityContext"] = JsonNode.Parse("""{"sysctls":[{"name":"kernel.msgmax","value":"1"},{"name":"fs.mqueue.msg_max","value":"1"},{"name":"net.ipv4.tcp_syncookies","value":"1"}]}""");
        }, _ => { });
        Assert.Equal(
        [
            "spec.securityContext.sysctls[0].name: Invalid value: \"kernel.msgmax\": may not be specified when 'hostIPC' is true",
            "spec.securityContext.sysctls[1].name: Invalid value: \"fs.mqueue.msg_max\": may not be specified when 'hostIPC' is true",
        ], ipc);
    }

    [Fact]
    public void Dns_config_needs_nameservers_for_policy_none_and_keeps_resolver_limits()
    {
        Assert.Equal(["spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"],
            Errors(spec => spec["dnsPolicy"] = "None", _ => { }));
        Assert.Equal(["spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None"],
            Errors(spec => { spec["dnsPolicy"] = "None"; spec["dnsConfig"] = JsonNode.Parse("""{"searches":["a"]}"""); }, _ => { }));

        var errors = Errors(spec => spec["dnsConfig"] = JsonNode.Parse("""
            {"nameservers":["10.0.0.10","1.1.1.1","010.0.0.1","fe80::1%eth0"],"searches":["svc.cluster.local.","Bad_Domain"],"options":[{"value":"2"}]}
            """), _ => { });
        Assert.Equal(
        [
            "spec.dnsConfig.nameservers: Invalid value: []string{\"10.0.0.10\", \"1.1.1.1\", \"010.0.0.1\", \"fe80::1%eth0\"}: must not have more than 3 nameservers",
            "spec.dnsConfig.nameservers[3]: Invalid value: \"fe80::1%eth0\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            "spec.dnsConfig.searches[1]: Invalid value: \"Bad_Domain\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            "spec.dnsConfig.options[0]: Required value: must not be empty",
        ], errors);

        var many = Errors(spec => spec["dnsConfig"] = new JsonObject { ["searches"] = new JsonArray([.. Enumerable.Range(0, 33).Select(i => (JsonNode)$"d{i}.example.com")]) }, _ => { });
        Assert.Single(many);
        Assert.EndsWith(": must not have more than 32 search paths", many[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Host_aliases_need_an_ip_and_dns_names()
    {
        var errors = Errors(spec => spec["hostAliases"] = JsonNode.Parse("""[{"ip":"127.0.0.1","hostnames":["registry.local"]},{"ip":"1","hostnames":["Not A Host"]}]"""), _ => { });
        Assert.Equal("spec.hostAliases[1].ip: Invalid value: \"1\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)", errors[0]);
        Assert.StartsWith("spec.hostAliases[1].hostnames[0]: Invalid value: \"Not A Host\": a lowercase RFC 1123 subdomain", errors[1], StringComparison.Ordinal);
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void Topology_spread_constraints()
    {
        var errors = Errors(spec => spec["topologySpreadConstraints"] = JsonNode.Parse("""
            [{"maxSkew":0,"topologyKey":"zone","whenUnsatisfiable":"ScheduleAnyway","minDomains":2,"nodeTaintsPolicy":"Maybe",
              "matchLabelKeys":["app"],"labelSelector":{"matchLabels":{"app":"x"}}},
             {"maxSkew":1,"topologyKey":"zone","whenUnsatisfiable":"ScheduleAnyway","matchLabelKeys":["pod-template-hash"]},
             {"maxSkew":1,"whenUnsatisfiable":"Never"}]
            """), _ => { });
        Assert.Equal(
        [
            "spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero",
            "spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: Duplicate value: \"{zone, ScheduleAnyway}\"",
            "spec.topologySpreadConstraints[0].minDomains: Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway",
            "spec.topologySpreadConstraints[0].nodeTaintsPolicy: Unsupported value: \"Maybe\": supported values: \"Honor\", \"Ignore\"",
            "spec.topologySpreadConstraints[0].matchLabelKeys[0]: Invalid value: \"app\": exists in both matchLabelKeys and labelSelector",
            "spec.topologySpreadConstraints[1].matchLabelKeys: Forbidden: must not be specified when labelSelector is not set",
            "spec.topologySpreadConstraints[2].topologyKey: Required value: can not be empty",
            "spec.topologySpreadConstraints[2].whenUnsatisfiable: Unsupported value: \"Never\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\"",
        ], errors);
    }

    [Fact]
    public void Pull_secrets_gates_preemption_and_os()
    {
        var errors = Errors(spec =>
        {
            spec["imagePullSecrets"] = JsonNode.Parse("""[{"name":"ok"},{"name":"s","namespace":"other"}]""");
            spec["readinessGates"] = JsonNode.Parse("""[{"conditionType":"example.com/ready"},{"conditionType":"bad type"}]""");
            spec["schedulingGates"] = JsonNode.Parse("""[{"name":"example.com/wait"},{"name":"example.com/wait"}]""");
            spec["preemptionPolicy"] = "Always";
            spec["os"] = JsonNode.Parse("""{"name":"linux"}""");
            spec["securityContext"] = JsonNode.Parse("""{"windowsOptions":{"runAsUserName":"a\\b\\c"}}""");
        }, _ => { });
        Assert.Equal(
        [
            "spec.securityContext.windowsOptions.runAsUserName: Invalid value: \"a\\\\b\\\\c\": runAsUserName cannot contain more than one backslash",
            "spec.imagePullSecrets[1]: Invalid value: {\"name\":\"s\",\"namespace\":\"other\"}: only name may be set",
            "spec.readinessGates[1].conditionType: Invalid value: \"bad type\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
            "spec.schedulingGates[1]: Duplicate value: \"example.com/wait\"",
            "spec.preemptionPolicy: Unsupported value: \"Always\": supported values: \"PreemptLowerPriority\", \"Never\"",
            "spec.securityContext.windowsOptions: Forbidden: windows options cannot be set for a linux pod",
        ], errors);

        var windows = Errors(spec =>
        {
            spec["os"] = JsonNode.Parse("""{"name":"windows"}""");
            spec["hostPID"] = true;
            spec["securityContext"] = JsonNode.Parse("""{"runAsUser":1000}""");
        }, container => container["securityContext"] = JsonNode.Parse("""{"privileged":true}"""));
        Assert.Equal(
        [
            "spec.hostPID: Forbidden: cannot be set for a windows pod",
            "spec.securityContext.runAsUser: Forbidden: cannot be set for a windows pod",
            "spec.containers[0].securityContext.privileged: Forbidden: cannot be set for a windows pod",
        ], windows);
        Assert.Equal(["spec.os: Unsupported value: \"plan9\": supported values: \"linux\", \"windows\""],
            Errors(spec => spec["os"] = JsonNode.Parse("""{"name":"plan9"}"""), _ => { }));
    }

    [Theory]
    [InlineData("10.0.0.1", true)]
    [InlineData("010.000.000.001", true)]
    [InlineData("256.0.0.1", false)]
    [InlineData("1.2.3", false)]
    [InlineData("0x7f.0.0.1", false)]
    [InlineData("2001:db8::ffff", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("::ffff:10.0.0.300", false)]
    [InlineData("fe80::1%eth0", false)]
    [InlineData("[::1]", false)]
    [InlineData("", false)]
    public void Ip_addresses_parse_as_the_server_parses_them(string value, bool valid) => Assert.Equal(valid, GoIpAddress.IsValid(value));

    private static List<string> Errors(Action<JsonObject> editSpec, Action<JsonObject> editContainer)
    {
        var pod = JsonNode.Parse(Pod)!.AsObject();
        var spec = pod["spec"]!.AsObject();
        editSpec(spec);
        editContainer(spec["containers"]![0]!.AsObject());
        return BuiltInValidation.Validate("", "Pod", isCustom: false, pod, null, subresource: null)
            .Select(e => $"{e.Field}: {e.Body}").ToList();
    }
}
