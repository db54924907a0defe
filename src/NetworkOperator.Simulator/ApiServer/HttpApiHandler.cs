using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NetworkOperator.Simulator.Auth;
using NetworkOperator.Simulator.Diagnostics;
using NetworkOperator.Simulator.Discovery;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Patch;
using NetworkOperator.Simulator.Schema;
using NetworkOperator.Simulator.Serialization;
using NetworkOperator.Simulator.Storage;
using NetworkOperator.Simulator.Tables;
using NetworkOperator.Simulator.Watch;

namespace NetworkOperator.Simulator.ApiServer;

/// <summary>
/// The HTTP face of the server: parses the URL, counts the request, applies injected faults and hands the verb to
/// <see cref="ResourceService"/>. Every client mistake leaves as a Status object; nothing escapes as a crash.
/// </summary>
internal sealed class HttpApiHandler
{
    private static readonly byte[] HealthyBody = Encoding.UTF8.GetBytes("ok");

    // What subresource creates that make no object (eviction, binding) answer.
    private static readonly string CreatedStatus = new JsonObject
    {
        ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201,
    }.ToJsonString();

    private readonly ResourceService _service;
    private readonly DiscoveryDocuments _discovery;
    private readonly OpenApiDocuments _openApi;
    private readonly RequestCounters _counters;
    private readonly FaultInjector _faults;
    private readonly SimulatedApiServerOptions _options;
    private readonly TableRenderer _tables;
    private readonly AuditLog _audit;
    private readonly RequestGuard _guard;
    private readonly ReviewEndpoints _reviews;
    private readonly ContainerLogs _logs;

    public HttpApiHandler(ResourceService service, DiscoveryDocuments discovery, OpenApiDocuments openApi, RequestCounters counters,
        AuditLog audit, FaultInjector faults, SimulatedApiServerOptions options, RequestGuard guard, ReviewEndpoints reviews, ContainerLogs logs)
    {
        _logs = logs;
        _audit = audit;
        _guard = guard;
        _reviews = reviews;
        _service = service;
        _discovery = discovery;
        _openApi = openApi;
        _counters = counters;
        _faults = faults;
        _options = options;
        _tables = new TableRenderer(options.TimeProvider);
    }

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        try
        {
            await DispatchAsync(context, path);
        }
        catch (ApiException ex)
        {
            await WriteErrorAsync(context, ex);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await WriteErrorAsync(context, ApiErrors.Internal($"an error on the server ({ex.GetType().Name}: {ex.Message}) has prevented the request from succeeding"));
        }
    }

    private async Task DispatchAsync(HttpContext context, string path)
    {
        var user = _guard.Authenticate(context.Request);
        var request = RequestPath.Parse(path);
        if (request is null)
        {
            _guard.Authorize(AuthorizationAttributes.ForPath(user, context.Request.Method.ToLowerInvariant(), path));
        }

        switch (path)
        {
            case "/version":
            case "/version/":
                await WriteJsonAsync(context, 200, VersionInfo.Json);
                return;
            case "/healthz" or "/readyz" or "/livez":
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.Body.WriteAsync(HealthyBody, context.RequestAborted);
                return;
        }

        if (path.TrimEnd('/') == OpenApiV2Document.Path)
        {
            if (OpenApiV2Document.WantsProtobuf(context.Request.Headers.Accept.ToString()))
            {
                context.Response.StatusCode = 200;
                context.Response.ContentType = OpenApiV2Document.ProtobufMediaType;
                context.Response.ContentLength = OpenApiV2Document.Protobuf.Length;
                await context.Response.Body.WriteAsync(OpenApiV2Document.Protobuf, context.RequestAborted);
            }
            else
            {
                await WriteJsonAsync(context, 200, OpenApiV2Document.Json);
            }

            return;
        }

        if (path.StartsWith("/openapi/", StringComparison.Ordinal))
        {
            var doc = _openApi.Get(path) ?? throw ApiErrors.UnknownResource();
            await WriteJsonAsync(context, 200, doc);
            return;
        }

        if (request is null)
        {
            var document = _discovery.Get(path) ?? throw ApiErrors.UnknownResource();
            await WriteJsonAsync(context, 200, document);
            return;
        }

        var method = context.Request.Method;
        var query = context.Request.Query;
        var isWatch = method == "GET" && QueryOptions.Flag(query, "watch");
        var verb = (method, request.Name is null) switch
        {
            ("GET", true) => isWatch ? "watch" : "list",
            // A named GET is a get whatever its query says (request info turns only nameless GETs into list or
            // watch); a watch of one object is a collection watch with a metadata.name field selector.
            ("GET", false) => "get",
            ("POST", _) => "create",
            ("PUT", false) => "update",
            ("PATCH", false) => "patch",
            ("DELETE", false) => "delete",
            ("DELETE", true) => "deletecollection",
            _ => throw ApiErrors.MethodNotAllowed($"the server does not allow this method on the requested resource"),
        };
        _audit.Record(new AuditedRequest(user.Name, verb, request.Group, request.Resource, request.Subresource, request.Namespace));
        _guard.Authorize(RequestAttributes.Of(user, verb, request, query));
        if (ReviewEndpoints.Handles(request.Group, request.Resource, request.Subresource))
        {
            await ReviewAsync(context, request, verb, user);
            return;
        }

        var type = _service.Registry.Find(request.Group, request.Version, request.Resource) ?? throw NoRoute(request.Group);
        if (!type.Namespaced && request.Namespace is not null)
        {
            throw NoRoute(request.Group);
        }

        if (type.Namespaced && request.Namespace is null)
        {
            // Only list and watch span namespaces. The CRD handler passes the rest down to the plain 404; go-restful
            // has no route with a name there (a watch of one named object included), and only GET on the collection
            // path (405 for the other methods).
            if (type.IsCustom && verb is not ("list" or "watch"))
            {
                throw ApiErrors.PageNotFound();
            }

            if (!type.IsCustom && request.Name is not null)
            {
                throw ApiErrors.UnknownResource();
            }

            if (!type.IsCustom && verb is not ("list" or "watch"))
            {
                throw ApiErrors.MethodNotAllowed("the server does not allow this method on the requested resource");
            }
        }

        var resourceLabel = request.Subresource is null ? type.Plural : $"{type.Plural}/{request.Subresource}";
        _counters.Increment(verb, resourceLabel, request.Namespace);
        if (_faults.Latency > TimeSpan.Zero)
        {
            await Task.Delay(_faults.Latency, _options.TimeProvider, context.RequestAborted);
        }

        if (_faults.Check(verb, type.Plural, user.Name) is { } injected)
        {
            throw injected;
        }

        ValidateSubresource(type, request, method, verb);
        var ct = context.RequestAborted;
        var ns = request.Namespace;
        if (request.Subresource == "log")
        {
            await PodLogRequest.WriteAsync(context, _service.Get(type, ns, request.Name!).ToJsonObject(), _logs);
            return;
        }

        if (request.Subresource == "scale")
        {
            await ScaleAsync(context, type, request, verb, user, ct);
            return;
        }

        switch (verb)
        {
            case "get":
                await WriteObjectAsync(context, 200, type, _service.Get(type, ns, request.Name!));
                break;
            case "list":
                await WriteListAsync(context, type, _service.List(type, ns, QueryOptions.List(query)));
                break;
            case "watch":
                await WatchAsync(context, type, ns, QueryOptions.Watch(query));
                break;
            case "create":
                await CreateAsync(context, type, request, user, ct);
                break;
            case "update":
                {
                    var body = BodyReader.RequireObject(await BodyReader.ReadAsync(context.Request, ct));
                    RequestOptionsValidation.ValidateWrite(query, "UpdateOptions");
                    var warnings = new List<string>();
                    var stored = await _service.ReplaceAsync(type, ns, body, request.Subresource,
                        QueryOptions.Write(query) with { Warnings = warnings, User = user }, request.Name, ct);
                    WarningHeaders.Write(context.Response, warnings);
                    await WriteObjectAsync(context, 200, type, stored);
                    break;
                }

            case "patch":
                await PatchAsync(context, type, request, user, ct);
                break;
            case "delete":
                {
                    var body = await BodyReader.ReadAsync(context.Request, ct);
                    RequestOptionsValidation.ValidateDelete(query, body);
                    var result = await _service.DeleteAsync(type, ns, request.Name!, QueryOptions.Delete(query, body), ct);
                    if (result.Deleted && !type.ReturnsDeletedObject)
                    {
                        await WriteJsonAsync(context, 200, SuccessStatus(type, result.Object));
                    }
                    else
                    {
                        await WriteObjectAsync(context, 200, type, result.Object);
                    }

                    break;
                }

            case "deletecollection":
                {
                    var body = await BodyReader.ReadAsync(context.Request, ct);
                    RequestOptionsValidation.ValidateDelete(query, body);
                    var deleted = await _service.DeleteCollectionAsync(type, ns, QueryOptions.List(query), QueryOptions.Delete(query, body), ct);
                    await WriteListAsync(context, type, new ListResult(deleted, _service.CurrentResourceVersion, null, null));
                    break;
                }
        }
    }

    private async Task ReviewAsync(HttpContext context, RequestPath request, string verb, UserInfo user)
    {
        if (verb != "create")
        {
            throw ApiErrors.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        var namespaced = request.Resource is "localsubjectaccessreviews" or "serviceaccounts";
        if ((request.Subresource is null && request.Name is not null) || namespaced != (request.Namespace is not null))
        {
            throw ApiErrors.UnknownResource();
        }

        var body = BodyReader.RequireObject(await BodyReader.ReadAsync(context.Request, context.RequestAborted));
        _counters.Increment(verb, request.Subresource is null ? request.Resource : $"{request.Resource}/{request.Subresource}", request.Namespace);
        var answer = _reviews.Create(request.Version, request.Resource, request.Namespace, request.Name, user, body);
        await WriteJsonAsync(context, 201, answer.ToJsonString(SimulatorJson.Compact));
    }

    private async Task CreateAsync(HttpContext context, ResourceType type, RequestPath request, UserInfo user, CancellationToken ct)
    {
        var body = BodyReader.RequireObject(await BodyReader.ReadAsync(context.Request, ct));
        RequestOptionsValidation.ValidateWrite(context.Request.Query, "CreateOptions");
        if (request.Subresource == "eviction")
        {
            await Eviction.EvictAsync(_service, request.Namespace ?? "", request.Name!, body, ct);
            await WriteJsonAsync(context, 201, CreatedStatus);
            return;
        }

        if (request.Subresource == "binding")
        {
            await PodBinding.BindAsync(_service, request.Namespace ?? "", request.Name!, body,
                QueryOptions.Write(context.Request.Query) with { User = user }, ct);
            await WriteJsonAsync(context, 201, CreatedStatus);
            return;
        }

        if (request.Name is not null)
        {
            throw ApiErrors.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        var warnings = new List<string>();
        var stored = await _service.CreateAsync(type, request.Namespace, body,
            QueryOptions.Write(context.Request.Query) with { Warnings = warnings, User = user }, ct);
        WarningHeaders.Write(context.Response, warnings);
        await WriteObjectAsync(context, 201, type, stored);
    }

    private static PatchType PatchTypeOf(HttpContext context, ResourceType type)
    {
        var mediaType = BodyReader.MediaType(context.Request.ContentType);
        var patchType = mediaType switch
        {
            "application/merge-patch+json" => PatchType.Merge,
            "application/json-patch+json" => PatchType.Json,
            "application/strategic-merge-patch+json" => PatchType.StrategicMerge,
            "application/apply-patch+yaml" or "application/apply-patch+json" => PatchType.Apply,
            _ => throw ApiErrors.UnsupportedMediaType(mediaType),
        };
        if (patchType == PatchType.StrategicMerge && type.IsCustom)
        {
            throw ApiErrors.UnsupportedMediaType(mediaType + " is not supported for custom resources");
        }

        return patchType;
    }

    /// <summary>GET, PUT and PATCH of <c>/scale</c>: the object as an autoscaling/v1 Scale (see <see cref="Scales"/>).</summary>
    private async Task ScaleAsync(HttpContext context, ResourceType type, RequestPath request, string verb, UserInfo user, CancellationToken ct)
    {
        var name = request.Name!;
        var query = context.Request.Query;
        JsonObject scale;
        if (verb == "get")
        {
            scale = Scales.Get(_service, type, request.Namespace, name);
        }
        else if (verb == "update")
        {
            var body = Scales.Check(BodyReader.RequireObject(await BodyReader.ReadAsync(context.Request, ct)), type, name, request.Namespace);
            RequestOptionsValidation.ValidateWrite(query, "UpdateOptions");
            scale = await Scales.UpdateAsync(_service, type, request.Namespace, name, _ => body.DeepClone().AsObject(),
                body.Metadata().GetString("uid"), QueryOptions.Write(query) with { User = user }, ct);
        }
        else
        {
            var patchType = PatchTypeOf(context, type);
            var patch = await BodyReader.ReadAsync(context.Request, ct) ?? throw ApiErrors.BadRequest("the body of the request was empty");
            RequestOptionsValidation.ValidateWrite(query, "PatchOptions", patchType);
            scale = await Scales.UpdateAsync(_service, type, request.Namespace, name, old =>
            {
                // A Scale has no lists, so a strategic merge is a merge; an applied Scale is merged in as well.
                var patched = patchType == PatchType.Json ? JsonPatch.Apply(old, patch) : MergePatch.Apply(old, patch);
                return Scales.Check(patched as JsonObject ?? throw ApiErrors.BadRequest("the patch did not produce an object"), type, name, request.Namespace);
            }, null, QueryOptions.Write(query) with { User = user }, ct);
        }

        if (TableRenderer.WantsTable(context.Request.Headers.Accept))
        {
            await WriteJsonAsync(context, 200, _tables.Render(Scales.Type, scale, TableRenderer.IncludeObjectOf(query["includeObject"])));
            return;
        }

        await WriteJsonAsync(context, 200, scale.ToJsonString(SimulatorJson.Compact));
    }

    private async Task PatchAsync(HttpContext context, ResourceType type, RequestPath request, UserInfo user, CancellationToken ct)
    {
        var patchType = PatchTypeOf(context, type);
        var body = await BodyReader.ReadAsync(context.Request, ct) ?? throw ApiErrors.BadRequest("the body of the request was empty");
        RequestOptionsValidation.ValidateWrite(context.Request.Query, "PatchOptions", patchType);
        var existed = patchType == PatchType.Apply && _service.TryGet(type, request.Namespace, request.Name!) is not null;
        var warnings = new List<string>();
        var stored = await _service.PatchAsync(type, request.Namespace, request.Name!, patchType, body, request.Subresource,
            QueryOptions.Write(context.Request.Query) with { Warnings = warnings, User = user }, ct);
        WarningHeaders.Write(context.Response, warnings);
        await WriteObjectAsync(context, patchType == PatchType.Apply && !existed ? 201 : 200, type, stored);
    }

    private async Task WatchAsync(HttpContext context, ResourceType type, string? ns, WatchOptions options)
    {
        var table = TableRenderer.WantsTable(context.Request.Headers.Accept);
        var include = table ? TableRenderer.IncludeObjectOf(context.Request.Query["includeObject"]) : IncludeObject.Metadata;
        if (_faults.TakeExpireNextWatch())
        {
            await WatchStreamWriter.BeginAsync(context.Response, context.RequestAborted);
            await WatchStreamWriter.WriteErrorAsync(context.Response, ApiErrors.Gone("too old resource version (injected fault)"), context.RequestAborted);
            return;
        }

        WatchSubscription subscription;
        try
        {
            subscription = _service.Watch(type, ns, options);
        }
        catch (ApiException ex) when (ex.Code == 410)
        {
            await WatchStreamWriter.BeginAsync(context.Response, context.RequestAborted);
            await WatchStreamWriter.WriteErrorAsync(context.Response, ex, context.RequestAborted);
            return;
        }

        Func<WatchDelivery, byte[]>? render = table ? d => _tables.WatchLine(type, d, include) : null;
        await WatchStreamWriter.RunAsync(context, subscription, _options.TimeProvider, _options.BookmarkInterval, render);
    }

    /// <summary>
    /// The 404 for a resource path nothing serves: a Status under <c>/api</c> and the built-in groups (their go-restful
    /// web services claim every path below them), Go's plain 404 anywhere else.
    /// </summary>
    private ApiException NoRoute(string group) =>
        group.Length == 0 || _service.Registry.All.Any(t => !t.IsCustom && t.Group == group)
            ? ApiErrors.UnknownResource()
            : ApiErrors.PageNotFound();

    private static void ValidateSubresource(ResourceType type, RequestPath request, string method, string verb)
    {
        if (request.Subresource is null)
        {
            return;
        }

        var pod = type is { Group: "", Kind: "Pod" };
        string[]? methods = request.Subresource switch
        {
            "status" when type.HasStatusSubresource => ["GET", "PUT", "PATCH"],
            "scale" when type.Scale is not null => ["GET", "PUT", "PATCH"],
            "finalize" when type is { Group: "", Kind: "Namespace" } => ["PUT"],
            "eviction" or "binding" when pod => ["POST"],
            "log" when pod => ["GET"],
            _ => null,
        };
        if (methods is null)
        {
            // The CRD handler names the object for a subresource it does not serve; go-restful has no route.
            throw type.IsCustom ? ApiErrors.NotFound(type, request.Name ?? string.Empty) : ApiErrors.UnknownResource();
        }

        if (!methods.Contains(method))
        {
            // The CRD handler refuses the verb by name; go-restful has the path but not the method.
            throw type.IsCustom
                ? ApiErrors.MethodNotSupported(type, verb)
                : ApiErrors.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
    }

    private async Task WriteObjectAsync(HttpContext context, int code, ResourceType type, StoredObject stored)
    {
        if (TableRenderer.WantsTable(context.Request.Headers.Accept))
        {
            await WriteJsonAsync(context, code, _tables.Render(type, [stored], stored.ResourceVersion, null,
                TableRenderer.IncludeObjectOf(context.Request.Query["includeObject"])));
            return;
        }

        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = stored.Json.Length;
        await context.Response.Body.WriteAsync(stored.Json, context.RequestAborted);
    }

    private async Task WriteListAsync(HttpContext context, ResourceType type, ListResult list)
    {
        if (TableRenderer.WantsTable(context.Request.Headers.Accept))
        {
            await WriteJsonAsync(context, 200, _tables.Render(type, list.Items, list.ResourceVersion, list.Continue,
                TableRenderer.IncludeObjectOf(context.Request.Query["includeObject"])));
            return;
        }

        var metadata = new JsonObject { ["resourceVersion"] = list.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (list.Continue is not null)
        {
            metadata["continue"] = list.Continue;
        }

        if (list.RemainingItemCount is { } remaining)
        {
            metadata["remainingItemCount"] = remaining;
        }

        var head = Encoding.UTF8.GetBytes(
            $"{{\"kind\":\"{type.ListKind}\",\"apiVersion\":\"{type.ApiVersion}\",\"metadata\":{metadata.ToJsonString()},\"items\":[");
        var length = head.Length + 2 + list.Items.Sum(i => i.Json.Length) + Math.Max(0, list.Items.Count - 1);
        var buffer = new byte[length];
        head.CopyTo(buffer, 0);
        var offset = head.Length;
        for (var i = 0; i < list.Items.Count; i++)
        {
            if (i > 0)
            {
                buffer[offset++] = (byte)',';
            }

            list.Items[i].Json.CopyTo(buffer, offset);
            offset += list.Items[i].Json.Length;
        }

        buffer[offset++] = (byte)']';
        buffer[offset] = (byte)'}';
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer, context.RequestAborted);
    }

    private static string SuccessStatus(ResourceType type, StoredObject deleted) => new JsonObject
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = new JsonObject
        {
            ["name"] = deleted.Name,
            ["group"] = type.Group,
            ["kind"] = type.Plural,
            ["uid"] = deleted.Uid,
        },
    }.ToJsonString(SimulatorJson.Compact);

    private static async Task WriteJsonAsync(HttpContext context, int code, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private static async Task WriteErrorAsync(HttpContext context, ApiException error)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        if (error.PlainText)
        {
            context.Response.StatusCode = error.Code;
            context.Response.ContentType = "text/plain; charset=utf-8";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            await context.Response.WriteAsync(error.Message + "\n", context.RequestAborted);
            return;
        }

        if (error.RetryAfterSeconds is { } retry)
        {
            context.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await WriteJsonAsync(context, error.Code, JsonSerializer.Serialize(error.ToStatus(), SimulatorJson.Compact));
    }
}
