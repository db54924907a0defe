#!/usr/bin/env python3
"""Builds the simulator's protobuf schema table from Kubernetes' generated.proto files.

The embedded API server decodes `application/vnd.kubernetes.protobuf` request bodies (what kubectl's typed commands
send: create namespace/configmap/secret/deployment, drain's evictions, ...). Decoding needs each message's field
numbers, names and types; this script extracts just those facts for the kinds the simulator accepts and everything
they reach, in a compact table of our own format (see ProtobufSchema.cs). The same table tells the server which JSON fields each built-in kind has (unknown ones are dropped or refused as
fieldValidation says), so it must come from the Kubernetes version the simulator stands for (1.32). Run it when
adding a kind:

    python3 eng/protobuf/generate_schema.py <dir with the v0.32 k8s.io/api, apimachinery and apiextensions-apiserver sources> \
        > src/NetworkOperator.Simulator/Serialization/Protobuf/kubernetes-protobuf-schema.txt
"""
import pathlib
import re
import sys

ROOTS = [
    "k8s.io.api.core.v1." + k for k in
    ["Namespace", "ConfigMap", "Secret", "ServiceAccount", "Service", "Pod", "ResourceQuota", "Binding", "Event", "Node",
     "PersistentVolumeClaim", "PersistentVolume", "Endpoints", "ReplicationController", "LimitRange"]
] + [
    "k8s.io.api.apps.v1.Deployment", "k8s.io.api.apps.v1.DaemonSet", "k8s.io.api.apps.v1.StatefulSet",
    "k8s.io.api.apps.v1.ReplicaSet", "k8s.io.api.batch.v1.Job", "k8s.io.api.batch.v1.CronJob",
    "k8s.io.api.policy.v1.Eviction", "k8s.io.api.policy.v1.PodDisruptionBudget",
    "k8s.io.api.rbac.v1.Role", "k8s.io.api.rbac.v1.ClusterRole", "k8s.io.api.rbac.v1.RoleBinding",
    "k8s.io.api.rbac.v1.ClusterRoleBinding", "k8s.io.api.scheduling.v1.PriorityClass",
    "k8s.io.api.networking.v1.Ingress", "k8s.io.api.coordination.v1.Lease",
    "k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions",
    "k8s.io.api.authorization.v1.SelfSubjectAccessReview", "k8s.io.api.authorization.v1.SubjectAccessReview",
    "k8s.io.api.authorization.v1.LocalSubjectAccessReview", "k8s.io.api.authorization.v1.SelfSubjectRulesReview",
    "k8s.io.api.authentication.v1.SelfSubjectReview", "k8s.io.api.authentication.v1.TokenRequest",
    "k8s.io.api.apps.v1.ControllerRevision", "k8s.io.api.admissionregistration.v1.ValidatingWebhookConfiguration",
    "k8s.io.api.admissionregistration.v1.MutatingWebhookConfiguration", "k8s.io.api.events.v1.Event",
    "k8s.io.api.storage.v1.StorageClass", "k8s.io.api.networking.v1.NetworkPolicy", "k8s.io.api.discovery.v1.EndpointSlice",
    "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition",
]
# Messages the decoder maps to JSON scalars itself; their inner fields are not needed.
SPECIAL = {
    "k8s.io.apimachinery.pkg.apis.meta.v1.Time", "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime",
    "k8s.io.apimachinery.pkg.apis.meta.v1.Duration", "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1",
    "k8s.io.apimachinery.pkg.api.resource.Quantity", "k8s.io.apimachinery.pkg.util.intstr.IntOrString",
    "k8s.io.apimachinery.pkg.runtime.RawExtension",
    # apiextensions types with their own JSON decoding (free-form JSON, schema-or-bool/array unions).
    "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSON",
    "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray",
    "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool",
    "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray",
}
SCALARS = {"string", "bytes", "bool", "int32", "int64", "uint32", "uint64", "double", "float", "fixed32", "fixed64"}
FIELD = re.compile(r"^\s*(optional|repeated)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+)")
MAP = re.compile(r"^\s*map<\s*([\w.]+)\s*,\s*([\w.]+)\s*>\s+(\w+)\s*=\s*(\d+)")


def parse(root):
    messages = {}
    for path in pathlib.Path(root).rglob("*.proto"):
        package, current = None, None
        for line in path.read_text().splitlines():
            if m := re.match(r"^package\s+([\w.]+);", line):
                package = m.group(1)
            elif m := re.match(r"^message\s+(\w+)\s*{", line):
                current = f"{package}.{m.group(1)}"
                messages[current] = []
            elif line.startswith("}"):
                current = None
            elif current and (m := MAP.match(line)):
                messages[current].append((int(m.group(4)), m.group(3), "map", resolve(m.group(1), package) + "," + resolve(m.group(2), package)))
            elif current and (m := FIELD.match(line)):
                messages[current].append((int(m.group(4)), m.group(3), m.group(1), resolve(m.group(2), package)))
    return messages


GO_STRUCT = re.compile(r"^type\s+(\w+)\s+struct\s*{")
# A field line: optional name (embedded structs have none), Go type, struct tags.
GO_FIELD = re.compile(r'^\s+(?:(\w+)\s+)?(\S+)\s+`(.*)`')


def go_fields(root):
    """(message, protobuf field number, Go type, json tag, embedded) for every tagged field of the Go structs that
    have a generated.proto beside them."""
    for path in pathlib.Path(root).rglob("types*.go"):
        proto = path.with_name("generated.proto")
        if not proto.exists():
            continue
        package = re.search(r"^package\s+([\w.]+);", proto.read_text(), re.M).group(1)
        struct = None
        for line in path.read_text().splitlines():
            if m := GO_STRUCT.match(line):
                struct = f"{package}.{m.group(1)}"
            elif line.startswith("}"):
                struct = None
            elif struct and (m := GO_FIELD.match(line)):
                pb = re.search(r'protobuf:"[^,]+,(\d+),', m.group(3))
                js = re.search(r'json:"([^"]*)"', m.group(3))
                if pb and js:
                    yield struct, int(pb.group(1)), m.group(2), js.group(1), m.group(1) is None


def json_names(fields):
    """The JSON name of each message field, from its Go struct's json tag (protobuf names can differ: uID for uid,
    xKubernetesPreserveUnknownFields for x-kubernetes-preserve-unknown-fields); "" marks an inline (embedded) field,
    whose own fields appear at the parent's level in JSON."""
    result = {}
    for struct, number, _, tag, _ in fields:
        name, options = tag.split(",")[0], tag.split(",")[1:]
        result[(struct, number)] = "" if name == "" and "inline" in options else name
    return result


def omit_zero_fields(fields):
    """Fields Go leaves out of JSON when zero: a non-pointer scalar whose json tag says omitempty. The protobuf
    encoder still writes them, so the decoder must drop their zero values to produce the JSON a real server stores."""
    return {(struct, number) for struct, number, go_type, tag, embedded in fields
            if not embedded and "omitempty" in tag.split(",")[1:] and not go_type.startswith(("*", "[]", "map["))}


def resolve(type_name, package):
    if type_name in SCALARS:
        return type_name
    return type_name[1:] if type_name.startswith(".") else f"{package}.{type_name}"


def main():
    messages = parse(sys.argv[1])
    fields = list(go_fields(sys.argv[1]))
    omit = omit_zero_fields(fields)
    names = json_names(fields)
    needed, queue = set(), list(ROOTS)
    while queue:
        name = queue.pop()
        if name in needed or name in SPECIAL:
            continue
        if name not in messages:
            sys.exit(f"message {name} not found")
        needed.add(name)
        for _, _, _, type_name in messages[name]:
            for part in type_name.split(","):
                if part not in SCALARS:
                    queue.append(part)
    print("# Generated by eng/protobuf/generate_schema.py from Kubernetes 1.32 (k8s.io/api, apimachinery and")
    print("# apiextensions-apiserver v0.32): field number, JSON name, label, type per message; \"omitzero\" marks a field")
    print("# whose zero value Go's JSON omits, \"inline\" one whose fields Go's JSON writes into the parent. Do not edit.")
    for name in sorted(needed):
        print(f"message {name}")
        for number, field, label, type_name in sorted(messages[name]):
            flag = " omitzero" if (name, number) in omit and type_name in SCALARS else ""
            json_name = names.get((name, number), field)
            if json_name == "":
                json_name, flag = field, " inline"
            print(f"{number} {json_name} {label} {type_name}{flag}")


main()
