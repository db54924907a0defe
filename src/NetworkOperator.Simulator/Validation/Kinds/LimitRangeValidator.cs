using System.Globalization;
using System.Text.Json.Nodes;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation.Kinds;

/// <summary>
/// LimitRange as ValidateLimitRange of Kubernetes 1.32, run on the defaulted object (a Container item's default and
/// defaultRequest already filled from max, default and min): every item has a standard or qualified type, used once;
/// its resource names suit the type; a Pod item has no defaults, a PersistentVolumeClaim item bounds storage; and per
/// resource min ≤ defaultRequest ≤ default ≤ max, a max limit/request ratio of at least 1 that max/min allows, and
/// default = defaultRequest for resources that may not be overcommitted. The real server walks Go maps in random
/// order; here every resource list, and the resources compared, go in key order.
/// </summary>
internal sealed class LimitRangeValidator : KindValidator
{
    /// <summary>resource.MaxMilliValue: the largest whole value whose thousandths still fit an int64.</summary>
    private const decimal MaxMilliValue = long.MaxValue / 1000;

    private const string PodDefaultsForbidden = "may not be specified when `type` is 'Pod'";

    public override string Group => "";

    public override string Kind => "LimitRange";

    public override void Validate(FieldErrors errors, JsonObject obj)
    {
        var spec = Obj(obj, "spec");
        var limitsPath = FieldPath.Root("spec").Child("limits");
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (index, item) in Items(spec, "limits"))
        {
            var path = limitsPath.Index(index);
            var type = Str(item, "type");
            ValidateTypeName(errors, type, path.Child("type"));
            if (!types.Add(type))
            {
                errors.Duplicate(path.Child("type"), type);
            }

            var keys = new SortedSet<string>(StringComparer.Ordinal);
            var max = Collect(errors, item, "max", type, path, keys);
            var min = Collect(errors, item, "min", type, path, keys);
            Dictionary<string, Quantity> defaults = [];
            Dictionary<string, Quantity> defaultRequests = [];
            if (type == "Pod")
            {
                if (Obj(item, "default") is { Count: > 0 })
                {
                    errors.Forbidden(path.Child("default"), PodDefaultsForbidden);
                }

                if (Obj(item, "defaultRequest") is { Count: > 0 })
                {
                    errors.Forbidden(path.Child("defaultRequest"), PodDefaultsForbidden);
                }
            }
            else
            {
                defaults = Collect(errors, item, "default", type, path, keys);
                defaultRequests = Collect(errors, item, "defaultRequest", type, path, keys);
            }

            // The real server names the item's "limits" here, a field LimitRangeItem does not have.
            if (type == "PersistentVolumeClaim" && Obj(item, "min")?.ContainsKey("storage") != true
                && Obj(item, "max")?.ContainsKey("storage") != true)
            {
                errors.Required(path.Child("limits"), "either minimum or maximum storage value is required, but neither was provided");
            }

            var ratios = Collect(errors, item, "maxLimitRequestRatio", type, path, keys);
            foreach (var key in keys)
            {
                Compare(errors, key, path, min.GetValueOrDefault(key), max.GetValueOrDefault(key), defaults.GetValueOrDefault(key),
                    defaultRequests.GetValueOrDefault(key), ratios.GetValueOrDefault(key));
            }
        }
    }

    private static void ValidateTypeName(FieldErrors errors, string type, FieldPath path)
    {
        var messages = NameRules.QualifiedName(type);
        if (messages.Count > 0)
        {
            errors.AddMessages(path, type, messages);
            return;
        }

        if (!type.Contains('/', StringComparison.Ordinal) && type is not ("Pod" or "Container" or "PersistentVolumeClaim"))
        {
            errors.Invalid(path, type, "must be a standard limit type or fully qualified");
        }
    }

    /// <summary>One resource list of an item: its names checked for the item's type, its quantities by name.</summary>
    private static Dictionary<string, Quantity> Collect(FieldErrors errors, JsonObject item, string field, string type, FieldPath path,
        SortedSet<string> keys)
    {
        var quantities = new Dictionary<string, Quantity>(StringComparer.Ordinal);
        foreach (var (name, value) in (Obj(item, field) ?? []).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var namePath = path.Child(field).Key(name);
            if (type is "Pod" or "Container")
            {
                ResourceNames.ValidateContainerResourceName(errors, name, namePath);
            }
            else
            {
                ResourceNames.ValidateResourceName(errors, name, namePath);
            }

            keys.Add(name);

            // A null quantity decodes as zero on the real server.
            if ((value is null ? new Quantity(0, QuantityFormat.DecimalSI) : Quantity.TryParse(GoValue.Text(value))) is { } quantity)
            {
                quantities[name] = quantity;
            }
        }

        return quantities;
    }

    private static void Compare(FieldErrors errors, string key, FieldPath path, Quantity? min, Quantity? max, Quantity? limit,
        Quantity? request, Quantity? ratio)
    {
        var minPath = path.Child("min").Key(key);
        var defaultPath = path.Child("default").Key(key);
        var requestPath = path.Child("defaultRequest").Key(key);
        var ratioPath = path.Child("maxLimitRequestRatio").Key(key);

        // The bad value the real server reports is a Go struct; the quantity's canonical text stands in for it.
        if (min is not null && max is not null && min.Value > max.Value)
        {
            errors.Invalid(minPath, min.ToString(), $"min value {min} is greater than max value {max}");
        }

        if (request is not null && min is not null && min.Value > request.Value)
        {
            errors.Invalid(requestPath, request.ToString(), $"min value {min} is greater than default request value {request}");
        }

        if (request is not null && max is not null && request.Value > max.Value)
        {
            errors.Invalid(requestPath, request.ToString(), $"default request value {request} is greater than max value {max}");
        }

        if (request is not null && limit is not null && request.Value > limit.Value)
        {
            errors.Invalid(requestPath, request.ToString(), $"default request value {request} is greater than default limit value {limit}");
        }

        // These two report the min and the max as the bad value, not the default, as the real server does.
        if (limit is not null && min is not null && min.Value > limit.Value)
        {
            errors.Invalid(defaultPath, min.ToString(), $"min value {min} is greater than default value {limit}");
        }

        if (limit is not null && max is not null && limit.Value > max.Value)
        {
            errors.Invalid(defaultPath, max.ToString(), $"default value {limit} is greater than max value {max}");
        }

        if (ratio is not null && ratio.Value < 1)
        {
            errors.Invalid(ratioPath, ratio.ToString(), $"ratio {ratio} is less than 1");
        }

        if (ratio is not null && min is not null && max is not null)
        {
            var allowed = AllowedRatio(ratio, min, max, out var requested);
            if (requested > allowed)
            {
                errors.Invalid(ratioPath, ratio.ToString(),
                    $"ratio {ratio} is greater than max/min = {allowed.ToString("F6", CultureInfo.InvariantCulture)}");
            }
        }

        // Devices, hugepages and other resources that may not be overcommitted get requests equal to their limits.
        if (!ResourceNames.IsOvercommitAllowed(key) && limit is not null && request is not null && limit.Value != request.Value)
        {
            errors.Invalid(requestPath, request.ToString(), $"default value {limit} must equal to defaultRequest value {request} in {key}");
        }
    }

    /// <summary>
    /// max/min in floating point, from thousandths when all three values are small enough for them and from whole units
    /// otherwise (each rounded away from zero); a zero min gives an infinite (or undefined) bound that no ratio exceeds.
    /// Hugely negative values, whose thousandths overflow on the real server, take the whole-unit path here.
    /// </summary>
    private static double AllowedRatio(Quantity ratio, Quantity min, Quantity max, out double requested)
    {
        if (Math.Abs(ratio.WholeValue) < MaxMilliValue && Math.Abs(min.WholeValue) < MaxMilliValue && Math.Abs(max.WholeValue) < MaxMilliValue)
        {
            requested = (double)ratio.MilliValue / 1000;
            return (double)max.MilliValue / (double)min.MilliValue;
        }

        requested = (double)ratio.WholeValue;
        return (double)max.WholeValue / (double)min.WholeValue;
    }
}
