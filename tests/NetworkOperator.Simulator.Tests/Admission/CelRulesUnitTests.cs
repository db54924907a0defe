using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Schema;

namespace NetworkOperator.Simulator.Tests.Admission;

/// <summary>Rule evaluation over a small inline schema: plain rules, transition rules, lists, ratcheting, bad rules.</summary>
public sealed class CelRulesUnitTests
{
    private static readonly JsonObject Schema = JsonNode.Parse("""
        {
          "type": "object",
          "properties": {
            "spec": {
              "type": "object",
              "x-kubernetes-validations": [
                { "rule": "self.minReplicas <= self.maxReplicas", "message": "minReplicas must not exceed maxReplicas" },
                { "rule": "!has(self.mode) || self.mode != 'legacy' || self.minReplicas == 1" },
                { "rule": "self.minReplicas +", "message": "does not compile" }
              ],
              "properties": {
                "minReplicas": { "type": "integer" },
                "maxReplicas": { "type": "integer" },
                "mode": { "type": "string", "x-kubernetes-validations": [{ "rule": "self == oldSelf", "message": "mode is immutable" }] },
                "ratio": { "type": "number", "x-kubernetes-validations": [{ "rule": "self < 1.0" }] },
                "ports": {
                  "type": "array",
                  "x-kubernetes-validations": [{ "rule": "self.size() <= 2", "message": "at most two ports" }],
                  "items": {
                    "type": "object",
                    "properties": { "port": { "type": "integer" } },
                    "x-kubernetes-validations": [
                      { "rule": "self.port > 0 && self.port < 65536", "message": "port out of range" },
                      { "rule": "self == oldSelf", "message": "never evaluated inside a list" }
                    ]
                  }
                }
              }
            },
            "status": {
              "type": "object",
              "properties": { "phase": { "type": "string", "x-kubernetes-validations": [{ "rule": "self in ['Ready', 'Pending']" }] } }
            }
          }
        }
        """)!.AsObject();

    [Fact]
    public void A_false_rule_is_FieldValueInvalid_at_its_path_with_its_message_or_the_rule()
    {
        var causes = Validate("""{"spec":{"minReplicas":3,"maxReplicas":2,"mode":"legacy"}}""", null);

        Assert.Equal(2, causes.Count);
        Assert.All(causes, c => Assert.Equal("spec", c.Field));
        Assert.All(causes, c => Assert.Equal("FieldValueInvalid", c.Reason));
        Assert.Equal("Invalid value: \"object\": minReplicas must not exceed maxReplicas", causes[0].Message);
        Assert.Equal("Invalid value: \"object\": failed rule: !has(self.mode) || self.mode != 'legacy' || self.minReplicas == 1",
            causes[1].Message);
    }

    [Fact]
    public void True_rules_pass_and_a_rule_that_does_not_compile_is_skipped()
    {
        Assert.Empty(Validate("""{"spec":{"minReplicas":1,"maxReplicas":2,"mode":"legacy","ratio":0.5,"ports":[{"port":80}]}}""", null));
        Assert.False(CelRules.Compiles("self.minReplicas +"));
        Assert.True(CelRules.Compiles("self.minReplicas <= self.maxReplicas"));
    }

    [Fact]
    public void Transition_rules_run_only_on_update_when_the_old_object_has_the_value()
    {
        Assert.Empty(Validate("""{"spec":{"minReplicas":1,"maxReplicas":2,"mode":"a"}}""", null));
        Assert.Empty(Validate("""{"spec":{"minReplicas":1,"maxReplicas":2,"mode":"a"}}""", """{"spec":{"minReplicas":1,"maxReplicas":2}}"""));

        var cause = Assert.Single(Validate("""{"spec":{"minReplicas":1,"maxReplicas":2,"mode":"b"}}""",
            """{"spec":{"minReplicas":1,"maxReplicas":2,"mode":"a"}}"""));

        Assert.Equal("spec.mode", cause.Field);
        Assert.Equal("Invalid value: \"string\": mode is immutable", cause.Message);
    }

    [Fact]
    public void List_rules_and_item_rules_are_evaluated_with_indexed_paths_but_not_item_transitions()
    {
        var causes = Validate("""{"spec":{"minReplicas":1,"maxReplicas":2,"ports":[{"port":80},{"port":0},{"port":70000}]}}""",
            """{"spec":{"minReplicas":1,"maxReplicas":2,"ports":[{"port":81}]}}""");

        Assert.Equal(["spec.ports", "spec.ports[1]", "spec.ports[2]"], causes.Select(c => c.Field));
        Assert.Equal("Invalid value: \"array\": at most two ports", causes[0].Message);
        Assert.Equal("Invalid value: \"object\": port out of range", causes[1].Message);
    }

    [Fact]
    public void An_unchanged_value_is_not_re_evaluated_on_update()
    {
        const string Broken = """{"spec":{"minReplicas":5,"maxReplicas":2,"ratio":3}}""";

        Assert.Equal(2, Validate(Broken, null).Count);
        Assert.Empty(Validate(Broken, Broken));

        // A changed child changes its parent too, so both are evaluated again; the unchanged siblings are not.
        Assert.Equal(["spec", "spec.ratio"], Validate("""{"spec":{"minReplicas":5,"maxReplicas":2,"ratio":4}}""", Broken).Select(c => c.Field));
    }

    [Fact]
    public void The_field_filter_limits_rules_to_the_written_part()
    {
        const string Obj = """{"spec":{"minReplicas":5,"maxReplicas":2},"status":{"phase":"Broken"}}""";

        Assert.Equal(["status.phase"], CelRules.Validate(Parse(Obj), null, Schema, f => f == "status").Select(c => c.Field));
        Assert.Equal(["spec"], CelRules.Validate(Parse(Obj), null, Schema, f => f != "status").Select(c => c.Field));
    }

    private static List<Errors.StatusCause> Validate(string obj, string? old) =>
        CelRules.Validate(Parse(obj), old is null ? null : Parse(old), Schema, _ => true);

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
