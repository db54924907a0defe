using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using NetworkOperator.Simulator.ApiServer;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Selectors;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Admission;

/// <summary>
/// Calls the validating webhooks registered in ValidatingWebhookConfiguration objects, over HTTPS, trusting only the
/// configured caBundle, for requests matching their rules and selectors; honours failurePolicy, sideEffects (dry
/// run) and timeoutSeconds. Only loopback endpoints are called (the simulator never reaches other hosts); service
/// references are resolved through <see cref="SimulatedApiServerOptions.WebhookServiceResolver"/>.
/// </summary>
internal sealed class ValidatingWebhooks : IAdmissionStep
{
    private readonly ResourceService _service;

    public ValidatingWebhooks(ResourceService service)
    {
        _service = service;
    }

    public bool IsMutating => false;

    public async ValueTask AdmitAsync(AdmissionContext context, CancellationToken cancellationToken)
    {
        if (context.Type.Group == "admissionregistration.k8s.io")
        {
            // The real server never sends webhook configurations to webhooks (so a broken webhook can be removed).
            return;
        }

        var configurationType = _service.Registry.Find("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations")!;
        var configurations = _service.List(configurationType, null).Items;
        if (configurations.Count == 0)
        {
            return;
        }

        foreach (var configuration in configurations)
        {
            foreach (var webhook in (configuration.ToJsonObject()["webhooks"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (Matches(webhook, context))
                {
                    await CallAsync(webhook, context, cancellationToken);
                }
            }
        }
    }

    private bool Matches(JsonObject webhook, AdmissionContext context)
    {
        var rules = (webhook["rules"] as JsonArray ?? []).OfType<JsonObject>();
        var resource = context.Subresource is null ? context.Type.Plural : $"{context.Type.Plural}/{context.Subresource}";
        var ruleMatched = rules.Any(rule =>
            Contains(rule["operations"], context.Operation)
            && Contains(rule["apiGroups"], context.Type.Group)
            && Contains(rule["apiVersions"], context.Type.Version)
            && ResourceMatches(rule["resources"] as JsonArray, resource)
            && ScopeMatches(rule.GetString("scope"), context.Type.Namespaced));
        if (!ruleMatched)
        {
            return false;
        }

        var objectSelector = LabelSelectors.FromObject(webhook["objectSelector"] as JsonObject);
        if (objectSelector is { IsEmpty: false })
        {
            // A Scale write is matched on the Scale, which carries no labels.
            var scale = context.Subresource == "scale";
            var labels = (scale ? null : context.Object.Metadata()["labels"] as JsonObject).GetStringMap();
            var oldLabels = (scale ? null : context.OldObject?.Metadata()["labels"] as JsonObject).GetStringMap();
            if (!objectSelector.Matches(labels) && !(context.OldObject is not null && objectSelector.Matches(oldLabels)))
            {
                return false;
            }
        }

        var namespaceSelector = LabelSelectors.FromObject(webhook["namespaceSelector"] as JsonObject);
        if (namespaceSelector is { IsEmpty: false })
        {
            IReadOnlyDictionary<string, string> nsLabels;
            if (context.Type is { Group: "", Kind: "Namespace" })
            {
                nsLabels = (context.Object.Metadata()["labels"] as JsonObject).GetStringMap();
            }
            else if (context.Type.Namespaced)
            {
                var ns = _service.TryGet(_service.Registry.Find("", "v1", "namespaces")!, null, context.Namespace);
                nsLabels = ns?.Labels ?? new Dictionary<string, string>();
            }
            else
            {
                return true;
            }

            return namespaceSelector.Matches(nsLabels);
        }

        return true;
    }

    private async Task CallAsync(JsonObject webhook, AdmissionContext context, CancellationToken cancellationToken)
    {
        var name = webhook.GetString("name") ?? "";
        var failurePolicy = webhook.GetString("failurePolicy") ?? "Fail";
        var sideEffects = webhook.GetString("sideEffects") ?? "Unknown";
        if (context.DryRun && sideEffects is not ("None" or "NoneOnDryRun"))
        {
            throw ApiErrors.BadRequest($"admission webhook \"{name}\" does not support dry run");
        }

        var versions = (webhook["admissionReviewVersions"] as JsonArray)?.Select(v => v?.ToString()).ToList() ?? ["v1"];
        var reviewVersion = versions.Contains("v1") ? "v1" : "v1beta1";
        var uid = Guid.NewGuid().ToString();
        var review = BuildReview(reviewVersion, uid, context);
        var timeout = TimeSpan.FromSeconds(webhook["timeoutSeconds"].GetInt64() ?? 10);
        Uri url;
        try
        {
            url = ResolveUrl(webhook["clientConfig"] as JsonObject ?? new JsonObject());
        }
        catch (InvalidOperationException ex)
        {
            Fail(name, failurePolicy, ex.Message);
            return;
        }

        JsonObject? response;
        try
        {
            using var client = CreateClient(webhook["clientConfig"] as JsonObject, url);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            using var content = new StringContent(review.ToJsonString(), Encoding.UTF8, "application/json");
            using var result = await client.PostAsync(url, content, cts.Token);
            if (!result.IsSuccessStatusCode)
            {
                Fail(name, failurePolicy, $"received invalid webhook response: expected response code 200, got {(int)result.StatusCode}");
                return;
            }

            response = (await result.Content.ReadFromJsonAsync<JsonNode>(cts.Token) as JsonObject)?["response"] as JsonObject;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Fail(name, failurePolicy, $"failed to call webhook: Post \"{url}\": context deadline exceeded");
            return;
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or NotSupportedException)
        {
            Fail(name, failurePolicy, $"failed to call webhook: Post \"{url}\": {ex.Message}");
            return;
        }

        if (response is null || response.GetString("uid") != uid)
        {
            Fail(name, failurePolicy, "received invalid webhook response: expected response.uid to match the request uid");
            return;
        }

        if (response["allowed"].GetBool() == true)
        {
            return;
        }

        var status = response["status"] as JsonObject;
        var code = (int)(status?["code"].GetInt64() ?? 400);
        var message = status?.GetString("message") ?? "";
        var reason = status?.GetString("reason") ?? (code == 403 ? "Forbidden" : "BadRequest");
        throw new ApiException(code is >= 400 and < 600 ? code : 400, reason,
            $"admission webhook \"{name}\" denied the request" + (message.Length > 0 ? ": " + message : "") );
    }

    private static void Fail(string name, string failurePolicy, string detail)
    {
        if (failurePolicy == "Ignore")
        {
            return;
        }

        throw new ApiException(500, "InternalError", $"Internal error occurred: failed calling webhook \"{name}\": {detail}");
    }

    private Uri ResolveUrl(JsonObject clientConfig)
    {
        Uri url;
        if (clientConfig.GetString("url") is { Length: > 0 } text)
        {
            url = new Uri(text);
        }
        else if (clientConfig["service"] is JsonObject service)
        {
            var resolver = _service.Options.WebhookServiceResolver
                ?? throw new InvalidOperationException(
                    $"failed to call webhook: service {service.GetString("namespace")}/{service.GetString("name")} has no endpoint in the simulator " +
                    "(set SimulatedApiServerOptions.WebhookServiceResolver)");
            url = resolver(service.GetString("namespace") ?? "", service.GetString("name") ?? "", (int)(service["port"].GetInt64() ?? 443),
                      service.GetString("path") ?? "/")
                  ?? throw new InvalidOperationException($"failed to call webhook: service {service.GetString("namespace")}/{service.GetString("name")} not resolvable");
        }
        else
        {
            throw new InvalidOperationException("webhook clientConfig has neither url nor service");
        }

        if (!url.IsLoopback)
        {
            throw new InvalidOperationException($"failed to call webhook: Post \"{url}\": the simulator only calls loopback addresses");
        }

        return url;
    }

    private static HttpClient CreateClient(JsonObject? clientConfig, Uri url)
    {
        var caBundle = clientConfig?.GetString("caBundle");
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10), UseProxy = false };
        X509Certificate2Collection? roots = null;
        if (!string.IsNullOrEmpty(caBundle))
        {
            roots = new X509Certificate2Collection();
            roots.ImportFromPem(Encoding.UTF8.GetString(Convert.FromBase64String(caBundle)));
        }

        handler.SslOptions = new SslClientAuthenticationOptions
        {
            TargetHost = url.Host,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                if (roots is null)
                {
                    return errors == SslPolicyErrors.None;
                }

                if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(certificate));
            },
        };
        return new HttpClient(handler, disposeHandler: true);
    }

    private static JsonObject BuildReview(string version, string uid, AdmissionContext context)
    {
        // A Scale write is reviewed as the Scale it is: kind autoscaling/v1 Scale, resource the parent's, subResource scale.
        var scale = context.Subresource == "scale" && context.Type.Scale is not null;
        var kindType = scale ? Scales.Type : context.Type;
        var kind = new JsonObject { ["group"] = kindType.Group, ["version"] = kindType.Version, ["kind"] = kindType.Kind };
        var resource = new JsonObject { ["group"] = context.Type.Group, ["version"] = context.Type.Version, ["resource"] = context.Type.Plural };
        var request = new JsonObject
        {
            ["uid"] = uid,
            ["kind"] = kind,
            ["resource"] = resource,
            ["requestKind"] = kind.DeepClone(),
            ["requestResource"] = resource.DeepClone(),
            ["name"] = context.Name,
            ["operation"] = context.Operation,
            ["userInfo"] = new JsonObject
            {
                ["username"] = "system:admin",
                ["groups"] = new JsonArray("system:masters", "system:authenticated"),
            },
            ["object"] = context.Operation == "DELETE" ? null : scale ? Scales.From(context.Type, context.Object) : context.Object.DeepClone(),
            ["oldObject"] = context.Operation == "CREATE" || context.OldObject is null ? null
                : scale ? Scales.From(context.Type, context.OldObject) : context.OldObject.DeepClone(),
            ["dryRun"] = context.DryRun,
            ["options"] = new JsonObject
            {
                ["kind"] = context.Operation switch { "CREATE" => "CreateOptions", "UPDATE" => "UpdateOptions", _ => "DeleteOptions" },
                ["apiVersion"] = "meta.k8s.io/v1",
            },
        };
        if (context.Subresource is not null)
        {
            request["subResource"] = context.Subresource;
        }

        if (context.Type.Namespaced)
        {
            request["namespace"] = context.Namespace;
        }

        return new JsonObject { ["apiVersion"] = $"admission.k8s.io/{version}", ["kind"] = "AdmissionReview", ["request"] = request };
    }

    private static bool Contains(JsonNode? list, string value) =>
        list is JsonArray array && array.Any(v => v?.ToString() is { } s && (s == "*" || s == value));

    private static bool ResourceMatches(JsonArray? resources, string resource)
    {
        if (resources is null)
        {
            return false;
        }

        var slash = resource.IndexOf('/', StringComparison.Ordinal);
        var main = slash < 0 ? resource : resource[..slash];
        var sub = slash < 0 ? null : resource[(slash + 1)..];
        foreach (var entry in resources.Select(r => r?.ToString() ?? ""))
        {
            if (entry == "*/*" || entry == resource)
            {
                return true;
            }

            if (entry == "*" && sub is null)
            {
                return true;
            }

            if (sub is not null && (entry == $"*/{sub}" || entry == $"{main}/*"))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ScopeMatches(string? scope, bool namespaced) => scope switch
    {
        "Cluster" => !namespaced,
        "Namespaced" => namespaced,
        _ => true,
    };
}
