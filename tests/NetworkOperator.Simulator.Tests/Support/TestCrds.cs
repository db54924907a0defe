using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Tests.Support;

/// <summary>A small CRD with a structural schema, printer columns and a status subresource, used across tests.</summary>
public static class TestCrds
{
    public const string Group = "example.com";
    public const string Version = "v1alpha1";
    public const string Plural = "widgets";
    public const string Kind = "Widget";

    public static JsonObject Widget(string scope = "Namespaced") => JsonNode.Parse($$"""
        {
          "apiVersion": "apiextensions.k8s.io/v1",
          "kind": "CustomResourceDefinition",
          "metadata": { "name": "widgets.example.com" },
          "spec": {
            "group": "example.com",
            "names": { "kind": "Widget", "listKind": "WidgetList", "plural": "widgets", "singular": "widget", "shortNames": ["wg"] },
            "scope": "{{scope}}",
            "versions": [{
              "name": "v1alpha1", "served": true, "storage": true,
              "subresources": { "status": {} },
              "additionalPrinterColumns": [
                { "name": "Size", "type": "integer", "jsonPath": ".spec.size" },
                { "name": "State", "type": "string", "jsonPath": ".status.state" }
              ],
              "schema": { "openAPIV3Schema": {
                "type": "object",
                "properties": {
                  "spec": {
                    "type": "object",
                    "required": ["size"],
                    "properties": {
                      "size": { "type": "integer", "minimum": 1, "maximum": 10 },
                      "color": { "type": "string", "enum": ["red", "green", "blue"], "default": "red" },
                      "name": { "type": "string", "pattern": "^[a-z]+$" },
                      "port": { "x-kubernetes-int-or-string": true },
                      "extra": { "type": "object", "x-kubernetes-preserve-unknown-fields": true },
                      "tags": { "type": "array", "items": { "type": "string" } }
                    }
                  },
                  "status": {
                    "type": "object",
                    "properties": {
                      "state": { "type": "string" },
                      "conditions": { "type": "array", "items": { "type": "object", "x-kubernetes-preserve-unknown-fields": true } }
                    }
                  }
                }
              } }
            }]
          }
        }
        """)!.AsObject();
}
