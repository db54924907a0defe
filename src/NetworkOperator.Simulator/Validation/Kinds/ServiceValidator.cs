using System.Net;
using System.Text.Json.Nodes;
using static NetworkOperator.Simulator.Validation.Json;

namespace NetworkOperator.Simulator.Validation.Kinds;

internal sealed class ServiceValidator : KindValidator
{
    private static readonly FieldPath Spec = FieldPath.Root("spec");
    private static readonly string[] Types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];

    public override string Group => "";

    public override string Kind => "Service";

    public override NameRule NameRule => NameRule.Dns1035Label;

    public override void Validate(FieldErrors errors, JsonObject obj)
    {
        var spec = Obj(obj, "spec");
        var type = Str(spec, "type");
        var headless = Str(spec, "clusterIP") == "None";
        var ports = Arr(spec, "ports");
        if (ports.Count == 0 && !headless && type != "ExternalName")
        {
            errors.Required(Spec.Child("ports"));
        }

        if (type == "ExternalName")
        {
            var externalName = Str(spec, "externalName");
            if (externalName.Length == 0)
            {
                errors.Required(Spec.Child("externalName"));
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (index, port) in Items(spec, "ports"))
        {
            var portPath = Spec.Child("ports").Index(index);
            var name = Str(port, "name");
            if (ports.Count > 1 && name.Length == 0)
            {
                errors.Required(portPath.Child("name"));
            }
            else if (name.Length > 0)
            {
                errors.AddMessages(portPath.Child("name"), name, NameRules.Dns1123Label(name));
                if (!names.Add(name))
                {
                    errors.Duplicate(portPath.Child("name"), name);
                }
            }

            var number = Int(port, "port") ?? 0;
            foreach (var message in NameRules.PortNumber(number))
            {
                errors.Invalid(portPath.Child("port"), number, message);
            }

            var protocol = Str(port, "protocol");
            if (protocol.Length == 0)
            {
                errors.Required(portPath.Child("protocol"));
            }
            else if (protocol is not ("SCTP" or "TCP" or "UDP"))
            {
                errors.NotSupported(portPath.Child("protocol"), protocol, "SCTP", "TCP", "UDP");
            }

            ContainerValidation.ValidatePortNumberOrName(errors, port["targetPort"], portPath.Child("targetPort"));
            if (!keys.Add($"{protocol}/{number}"))
            {
                errors.DuplicatePrinted(portPath, $"core.ServicePort{{Name:\"\", Protocol:{GoValue.Quote(protocol)}, AppProtocol:(*string)(nil), " +
                                                  $"Port:{number}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}");
            }

            if (Int(port, "nodePort") is { } nodePort && nodePort != 0)
            {
                if (type is "ClusterIP" or "ExternalName")
                {
                    errors.Forbidden(portPath.Child("nodePort"), $"may not be used when `type` is '{type}'");
                }

                foreach (var message in NameRules.PortNumber(nodePort))
                {
                    errors.Invalid(portPath.Child("nodePort"), nodePort, message);
                }
            }
        }

        if (!Types.Contains(type))
        {
            errors.NotSupported(Spec.Child("type"), type, Types);
        }

        var affinity = Str(spec, "sessionAffinity");
        if (affinity is not ("ClientIP" or "None"))
        {
            errors.NotSupported(Spec.Child("sessionAffinity"), affinity, "ClientIP", "None");
        }

        MetadataValidation.ValidateLabels(errors, Obj(spec, "selector"), Spec.Child("selector"));
        var clusterIP = Str(spec, "clusterIP");
        if (clusterIP.Length > 0 && clusterIP != "None" && !IPAddress.TryParse(clusterIP, out _))
        {
            errors.Invalid(Spec.Child("clusterIPs").Index(0), clusterIP,
                "must be empty, 'None', or a valid IP address");
        }
    }

    public override void ValidateUpdate(FieldErrors errors, JsonObject obj, JsonObject old)
    {
        var oldSpec = Obj(old, "spec");
        if (Str(oldSpec, "type") != "ExternalName" && Str(oldSpec, "clusterIP").Length > 0)
        {
            var newIP = Str(Obj(obj, "spec"), "clusterIP");
            if (newIP != Str(oldSpec, "clusterIP"))
            {
                errors.Invalid(Spec.Child("clusterIP"), newIP, "field is immutable");
            }
        }
    }
}
