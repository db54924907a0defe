using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Serialization;
using NetworkOperator.Simulator.Storage;

namespace NetworkOperator.Simulator.Auth;

/// <summary>
/// The stored Roles, ClusterRoles and bindings, parsed once per change of any of them, and the rules that apply to a
/// user in a namespace (ClusterRoleBindings everywhere, RoleBindings of that namespace), cached per user until the
/// next RBAC change — the rule resolver of the real server's RBAC authorizer.
/// </summary>
internal sealed class RbacIndex
{
    public const string Group = "rbac.authorization.k8s.io";
    private const string ClusterRolesKey = "clusterroles." + Group;
    private const string RolesKey = "roles." + Group;
    private const string ClusterRoleBindingsKey = "clusterrolebindings." + Group;
    private const string RoleBindingsKey = "rolebindings." + Group;

    private readonly ObjectStore _store;
    private readonly ConcurrentDictionary<(string User, string Namespace), ResolvedRules> _rules = new();
    private long _generation;
    private Snapshot? _snapshot;

    public RbacIndex(ObjectStore store)
    {
        _store = store;
        store.Committed += (key, _) =>
        {
            if (key is ClusterRolesKey or RolesKey or ClusterRoleBindingsKey or RoleBindingsKey)
            {
                Interlocked.Increment(ref _generation);
            }
        };
    }

    /// <summary>Every rule that applies to the user in the namespace ("" = cluster-wide only), with where it came from, and resolution errors.</summary>
    public ResolvedRules RulesFor(UserInfo user, string ns)
    {
        var generation = Interlocked.Read(ref _generation);
        var key = (user.Key, ns);
        if (_rules.TryGetValue(key, out var cached) && cached.Generation == generation)
        {
            return cached;
        }

        var snapshot = Current(generation);
        var rules = new List<(PolicyRule Rule, Func<string> Source)>();
        var errors = new List<string>();
        foreach (var binding in snapshot.ClusterRoleBindings)
        {
            Collect(snapshot, binding, user, "", rules, errors);
        }

        if (ns.Length > 0 && snapshot.RoleBindings.TryGetValue(ns, out var roleBindings))
        {
            foreach (var binding in roleBindings)
            {
                Collect(snapshot, binding, user, ns, rules, errors);
            }
        }

        var resolved = new ResolvedRules(generation, rules, errors);
        if (_rules.Count > 10_000)
        {
            _rules.Clear();
        }

        _rules[key] = resolved;
        return resolved;
    }

    /// <summary>The rules of the role a binding refers to; the real server's NotFound message when it does not exist.</summary>
    public (IReadOnlyList<PolicyRule>? Rules, string? Error) RoleReferenceRules(string kind, string name, string bindingNamespace)
    {
        var snapshot = Current(Interlocked.Read(ref _generation));
        return RoleReferenceRules(snapshot, kind, name, bindingNamespace);
    }

    private static void Collect(Snapshot snapshot, Binding binding, UserInfo user, string ns, List<(PolicyRule, Func<string>)> rules, List<string> errors)
    {
        var subject = binding.Subjects.FirstOrDefault(s => AppliesTo(user, s, ns));
        if (subject is null)
        {
            return;
        }

        var (roleRules, error) = RoleReferenceRules(snapshot, binding.RoleKind, binding.RoleName, ns);
        if (error is not null)
        {
            errors.Add(error);
            return;
        }

        string Source() => binding.Namespace.Length == 0
            ? $"ClusterRoleBinding {PolicyRule.GoQuote(binding.Name)} of {binding.RoleKind} {PolicyRule.GoQuote(binding.RoleName)} to {Describe(subject, "")}"
            : $"RoleBinding {PolicyRule.GoQuote(binding.Name + "/" + binding.Namespace)} of {binding.RoleKind} {PolicyRule.GoQuote(binding.RoleName)} to {Describe(subject, binding.Namespace)}";
        foreach (var rule in roleRules!)
        {
            rules.Add((rule, Source));
        }
    }

    private static (IReadOnlyList<PolicyRule>? Rules, string? Error) RoleReferenceRules(Snapshot snapshot, string kind, string name, string bindingNamespace) =>
        kind switch
        {
            "ClusterRole" => snapshot.ClusterRoles.TryGetValue(name, out var rules)
                ? (rules, null)
                : (null, $"clusterrole.{Group} {PolicyRule.GoQuote(name)} not found"),
            "Role" => snapshot.Roles.TryGetValue((bindingNamespace, name), out var rules)
                ? (rules, null)
                : (null, $"role.{Group} {PolicyRule.GoQuote(name)} not found"),
            _ => (null, $"unsupported role reference kind: {PolicyRule.GoQuote(kind)}"),
        };

    private static bool AppliesTo(UserInfo user, Subject subject, string ns)
    {
        switch (subject.Kind)
        {
            case "User":
                return user.Name == subject.Name;
            case "Group":
                return user.Groups.Contains(subject.Name, StringComparer.Ordinal);
            case "ServiceAccount":
                var saNamespace = subject.Namespace.Length > 0 ? subject.Namespace : ns;
                return saNamespace.Length > 0 && user.Name == $"{UserInfo.ServiceAccountPrefix}{saNamespace}:{subject.Name}";
            default:
                return false;
        }
    }

    private static string Describe(Subject subject, string bindingNamespace) => subject.Kind == "ServiceAccount"
        ? $"{subject.Kind} {PolicyRule.GoQuote(subject.Name + "/" + (subject.Namespace.Length > 0 ? subject.Namespace : bindingNamespace))}"
        : $"{subject.Kind} {PolicyRule.GoQuote(subject.Name)}";

    private Snapshot Current(long generation)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is not null && snapshot.Generation == generation)
        {
            return snapshot;
        }

        snapshot = Build(generation);
        Volatile.Write(ref _snapshot, snapshot);
        return snapshot;
    }

    private Snapshot Build(long generation)
    {
        var clusterRoles = new Dictionary<string, IReadOnlyList<PolicyRule>>(StringComparer.Ordinal);
        foreach (var role in _store.Snapshot(ClusterRolesKey))
        {
            clusterRoles[role.Name] = PolicyRule.ParseAll(role.ToJsonObject()["rules"]);
        }

        var roles = new Dictionary<(string, string), IReadOnlyList<PolicyRule>>();
        foreach (var role in _store.Snapshot(RolesKey))
        {
            roles[(role.Namespace, role.Name)] = PolicyRule.ParseAll(role.ToJsonObject()["rules"]);
        }

        // Sorted by name so the first binding that allows a request (named in "allowed by") does not depend on hashing.
        var clusterBindings = _store.Snapshot(ClusterRoleBindingsKey).OrderBy(b => b.Name, StringComparer.Ordinal).Select(ParseBinding).ToList();
        var roleBindings = _store.Snapshot(RoleBindingsKey).OrderBy(b => b.Name, StringComparer.Ordinal).Select(ParseBinding)
            .GroupBy(b => b.Namespace, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        return new Snapshot(generation, clusterRoles, roles, clusterBindings, roleBindings);
    }

    private static Binding ParseBinding(StoredObject stored)
    {
        var obj = stored.ToJsonObject();
        var roleRef = obj["roleRef"] as JsonObject;
        var subjects = (obj["subjects"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(s => new Subject(s.GetString("kind") ?? "", s.GetString("name") ?? "", s.GetString("namespace") ?? ""))
            .ToList();
        return new Binding(stored.Name, stored.Namespace, roleRef?.GetString("kind") ?? "", roleRef?.GetString("name") ?? "", subjects);
    }

    private sealed record Subject(string Kind, string Name, string Namespace);

    private sealed record Binding(string Name, string Namespace, string RoleKind, string RoleName, IReadOnlyList<Subject> Subjects);

    private sealed record Snapshot(
        long Generation,
        IReadOnlyDictionary<string, IReadOnlyList<PolicyRule>> ClusterRoles,
        IReadOnlyDictionary<(string, string), IReadOnlyList<PolicyRule>> Roles,
        IReadOnlyList<Binding> ClusterRoleBindings,
        IReadOnlyDictionary<string, List<Binding>> RoleBindings);
}

/// <summary>The rules that apply to one user in one namespace, each with a description of the binding that grants it.</summary>
internal sealed record ResolvedRules(long Generation, IReadOnlyList<(PolicyRule Rule, Func<string> Source)> Rules, IReadOnlyList<string> Errors)
{
    public IReadOnlyList<PolicyRule> PlainRules => [.. Rules.Select(r => r.Rule)];

    /// <summary>utilerrors.Aggregate's text: one message, or [a, b] for several.</summary>
    public string? ErrorText => Errors.Count switch
    {
        0 => null,
        1 => Errors[0],
        _ => "[" + string.Join(", ", Errors.Distinct(StringComparer.Ordinal)) + "]",
    };
}
