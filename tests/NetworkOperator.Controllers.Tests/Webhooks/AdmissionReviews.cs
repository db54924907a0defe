using System.Text.Json.Nodes;

namespace NetworkOperator.Controllers.Tests.Webhooks;

/// <summary>AdmissionReview v1 requests shaped like the ones the API server sends.</summary>
internal static class AdmissionReviews
{
    public static JsonObject Request(string kind, string operation, string objectJson, string? oldObjectJson = null, string uid = "705ab4f5-6393-11e8-b7cc-42010a800002")
    {
        var obj = JsonNode.Parse(objectJson)!.AsObject();
        var name = obj["metadata"]?["name"]?.GetValue<string>();
        var plural = kind.ToLowerInvariant() switch
        {
            "nicclusterpolicy" => "nicclusterpolicies",
            var k => k + "s",
        };
        return new JsonObject
        {
            ["apiVersion"] = "admission.k8s.io/v1",
            ["kind"] = "AdmissionReview",
            ["request"] = new JsonObject
            {
                ["uid"] = uid,
                ["kind"] = new JsonObject { ["group"] = "mellanox.com", ["version"] = "v1alpha1", ["kind"] = kind },
                ["resource"] = new JsonObject { ["group"] = "mellanox.com", ["version"] = "v1alpha1", ["resource"] = plural },
                ["requestKind"] = new JsonObject { ["group"] = "mellanox.com", ["version"] = "v1alpha1", ["kind"] = kind },
                ["requestResource"] = new JsonObject { ["group"] = "mellanox.com", ["version"] = "v1alpha1", ["resource"] = plural },
                ["name"] = name,
                ["operation"] = operation,
                ["userInfo"] = new JsonObject { ["username"] = "admin", ["groups"] = new JsonArray("system:authenticated") },
                ["object"] = operation == "DELETE" ? null : obj,
                ["oldObject"] = oldObjectJson is null ? (operation == "DELETE" ? obj.DeepClone() : null) : JsonNode.Parse(oldObjectJson),
                ["dryRun"] = false,
                ["options"] = new JsonObject { ["apiVersion"] = "meta.k8s.io/v1", ["kind"] = operation == "UPDATE" ? "UpdateOptions" : "CreateOptions" },
            },
        };
    }

    public const string ValidPolicy = """
        {
          "apiVersion": "mellanox.com/v1alpha1",
          "kind": "NicClusterPolicy",
          "metadata": {"name": "nic-cluster-policy"},
          "spec": {
            "ofedDriver": {"image": "doca-driver", "repository": "nvcr.io/nvidia/mellanox", "version": "doca3.5.0-26.07-0.7.0.0-0"},
            "nvIpam": {"image": "nvidia-k8s-ipam", "repository": "nvcr.io/nvidia/mellanox", "version": "network-operator-v26.7.0"}
          }
        }
        """;

    public const string PolicyWithBadDriverVersion = """
        {
          "apiVersion": "mellanox.com/v1alpha1",
          "kind": "NicClusterPolicy",
          "metadata": {"name": "nic-cluster-policy"},
          "spec": {
            "ofedDriver": {"image": "doca-driver", "repository": "nvcr.io/nvidia/mellanox", "version": "latest-and-greatest"}
          }
        }
        """;
}
