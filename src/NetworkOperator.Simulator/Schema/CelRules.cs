using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cel;
using NetworkOperator.Simulator.Errors;

namespace NetworkOperator.Simulator.Schema;

/// <summary>
/// The CRD validation rules (x-kubernetes-validations, CEL) of a structural schema, evaluated as the real server does:
/// `self` is the value at the rule's node; a rule naming `oldSelf` is a transition rule, evaluated only on update
/// when the old object has a value at the same path (never inside lists: the server correlates only map-type lists,
/// which this server does not). As with the server's validation ratcheting, a rule whose value did not change on an
/// update is not re-evaluated. A false result is a FieldValueInvalid cause at the node's path.
/// </summary>
public static partial class CelRules
{
    private static readonly CelEnvironment Environment = new(null, null);

    // The library does not promise a thread-safe compiler; compiled programs are only invoked concurrently.
    private static readonly Lock CompileLock = new();

    // A compile failure is cached as null: the real server would have refused the CRD, here the rule is skipped.
    private static readonly ConcurrentDictionary<string, CelProgramDelegate?> Programs = new(StringComparer.Ordinal);

    /// <summary>Causes for every failed rule under <paramref name="include"/> (a top-level field filter).</summary>
    public static List<StatusCause> Validate(JsonObject obj, JsonObject? oldObj, JsonObject schema, Func<string, bool> include)
    {
        var causes = new List<StatusCause>();
        var walk = new Walk(causes, oldObj is not null);
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, propertySchema) in properties)
            {
                if (propertySchema is JsonObject ps && include(name) && obj.TryGetPropertyValue(name, out var value) && value is not null)
                {
                    var old = oldObj?[name];
                    walk.Node(value, old, oldObj is not null && oldObj.ContainsKey(name) && old is not null, ps, name);
                }
            }
        }

        return causes;
    }

    /// <summary>Whether the rule compiles (rules that do not are not enforced).</summary>
    public static bool Compiles(string rule) => Program(rule) is not null;

    private static CelProgramDelegate? Program(string rule) => Programs.GetOrAdd(rule, static r =>
    {
        try
        {
            lock (CompileLock)
            {
                return Environment.Compile(r);
            }
        }
        catch (CelException)
        {
            return null;
        }
    });

    [GeneratedRegex(@"\boldSelf\b")]
    private static partial Regex OldSelf();

    private sealed class Walk(List<StatusCause> causes, bool isUpdate)
    {
        public void Node(JsonNode value, JsonNode? old, bool hasOld, JsonObject schema, string path)
        {
            if (isUpdate && hasOld && JsonNode.DeepEquals(value, old))
            {
                // Ratcheting: an unchanged value passes, so existing objects stay writable when rules tighten.
                return;
            }

            Rules(value, old, hasOld, schema, path);
            switch (value)
            {
                case JsonObject obj when schema["properties"] is JsonObject properties:
                    foreach (var (name, child) in obj)
                    {
                        if (child is not null && properties[name] is JsonObject ps)
                        {
                            var oldChild = hasOld ? (old as JsonObject)?[name] : null;
                            Node(child, oldChild, oldChild is not null, ps, $"{path}.{name}");
                        }
                    }

                    break;
                case JsonObject map when schema["additionalProperties"] is JsonObject valueSchema:
                    foreach (var (key, child) in map)
                    {
                        if (child is not null)
                        {
                            var oldChild = hasOld ? (old as JsonObject)?[key] : null;
                            Node(child, oldChild, oldChild is not null, valueSchema, $"{path}[{key}]");
                        }
                    }

                    break;
                case JsonArray array when schema["items"] is JsonObject itemSchema:
                    for (var i = 0; i < array.Count; i++)
                    {
                        if (array[i] is { } item)
                        {
                            Node(item, null, hasOld: false, itemSchema, $"{path}[{i}]");
                        }
                    }

                    break;
            }
        }

        private void Rules(JsonNode value, JsonNode? old, bool hasOld, JsonObject schema, string path)
        {
            if (schema["x-kubernetes-validations"] is not JsonArray rules)
            {
                return;
            }

            object? self = null;
            object? oldSelf = null;
            var converted = false;
            foreach (var entry in rules.OfType<JsonObject>())
            {
                if (entry["rule"] is not JsonValue r || r.GetValueKind() != JsonValueKind.String)
                {
                    continue;
                }

                var rule = r.GetValue<string>();
                var transition = OldSelf().IsMatch(rule);
                if ((transition && !hasOld) || Program(rule) is not { } program)
                {
                    continue;
                }

                if (!converted)
                {
                    self = CelValues.From(value, schema);
                    oldSelf = hasOld ? CelValues.From(old, schema) : null;
                    converted = true;
                }

                var variables = new Dictionary<string, object?>(StringComparer.Ordinal) { ["self"] = self };
                if (transition)
                {
                    variables["oldSelf"] = oldSelf;
                }

                string? failure;
                try
                {
                    failure = program.Invoke(variables) is true ? null : Message(entry, rule);
                }
                catch (CelException e)
                {
                    failure = $"{Message(entry, rule)}: evaluation error: {e.Message}";
                }

                if (failure is not null)
                {
                    causes.Add(new StatusCause("FieldValueInvalid", $"Invalid value: \"{TypeName(value, schema)}\": {failure}", path));
                }
            }
        }

        // messageExpression is not evaluated; the server falls back to message, then to the rule.
        private static string Message(JsonObject entry, string rule) =>
            entry["message"] is JsonValue m && m.GetValueKind() == JsonValueKind.String && m.GetValue<string>().Length > 0
                ? m.GetValue<string>()
                : $"failed rule: {rule}";

        private static string TypeName(JsonNode value, JsonObject schema) =>
            schema["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>()
            : value switch { JsonObject => "object", JsonArray => "array", _ => "string" };
    }
}
