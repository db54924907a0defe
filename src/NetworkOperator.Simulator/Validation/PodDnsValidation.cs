using System.Text.Json.Nodes;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation;

/// <summary>A pod's name resolution: <c>dnsConfig</c> (with the limits of the libc resolver) and <c>hostAliases</c>.</summary>
internal static class PodDnsValidation
{
    private const int MaxNameservers = 3;
    private const int MaxSearchPaths = 32;
    private const int MaxSearchListCharacters = 2048;
    private const string IpError = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

    public static void ValidateDnsConfig(FieldErrors errors, JsonObject? spec, FieldPath path)
    {
        var config = Obj(spec, "dnsConfig");
        if (Str(spec, "dnsPolicy") == "None")
        {
            if (config is null)
            {
                errors.Required(path, "must provide `dnsConfig` when `dnsPolicy` is None");
                return;
            }

            if (Arr(config, "nameservers").Count == 0)
            {
                errors.Required(path.Child("nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None");
                return;
            }
        }

        if (config is null)
        {
            return;
        }

        var nameservers = Arr(config, "nameservers");
        if (nameservers.Count > MaxNameservers)
        {
            errors.InvalidPrinted(path.Child("nameservers"), GoValue.StringList(nameservers), $"must not have more than {MaxNameservers} nameservers");
        }

        for (var i = 0; i < nameservers.Count; i++)
        {
            ValidateIp(errors, GoValue.Text(nameservers[i]), path.Child("nameservers").Index(i));
        }

        var searches = Arr(config, "searches").Select(GoValue.Text).ToList();
        if (searches.Count > MaxSearchPaths)
        {
            errors.InvalidPrinted(path.Child("searches"), GoValue.StringList(Arr(config, "searches")), $"must not have more than {MaxSearchPaths} search paths");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(string.Join(' ', searches)) > MaxSearchListCharacters)
        {
            errors.InvalidPrinted(path.Child("searches"), GoValue.StringList(Arr(config, "searches")),
                $"must not have more than {MaxSearchListCharacters} characters (including spaces) in the search list");
        }

        for (var i = 0; i < searches.Count; i++)
        {
            var search = searches[i].EndsWith('.') ? searches[i][..^1] : searches[i];
            errors.AddMessages(path.Child("searches").Index(i), search, NameRules.Dns1123Subdomain(search));
        }

        foreach (var (index, option) in Items(config, "options"))
        {
            if (Str(option, "name").Length == 0)
            {
                errors.Required(path.Child("options").Index(index), "must not be empty");
            }
        }
    }

    public static void ValidateHostAliases(FieldErrors errors, JsonObject? spec, FieldPath path)
    {
        foreach (var (index, alias) in Items(spec, "hostAliases"))
        {
            ValidateIp(errors, Str(alias, "ip"), path.Index(index).Child("ip"));
            var hostnames = Arr(alias, "hostnames");
            for (var j = 0; j < hostnames.Count; j++)
            {
                var hostname = GoValue.Text(hostnames[j]);
                errors.AddMessages(path.Index(index).Child("hostnames").Index(j), hostname, NameRules.Dns1123Subdomain(hostname));
            }
        }
    }

    private static void ValidateIp(FieldErrors errors, string value, FieldPath path)
    {
        if (!GoIpAddress.IsValid(value))
        {
            errors.Invalid(path, value, IpError);
        }
    }
}
