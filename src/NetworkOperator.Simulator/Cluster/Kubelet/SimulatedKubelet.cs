using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using NetworkOperator.Simulator.ApiServer;
using NetworkOperator.Simulator.Cluster.Controllers;
using NetworkOperator.Simulator.Cluster.DataPlane;
using NetworkOperator.Simulator.Cluster.Informers;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Cluster.Kubelet;

/// <summary>
/// One simulated kubelet for every node: starts bound pods after the configured delay (their containers become Ready),
/// keeps crashing ones in CrashLoopBackOff, holds pods whose ConfigMap or Secret volumes or networks are missing in
/// ContainerCreating with the events a real node records, finishes graceful deletions, and plays the node-side
/// data plane: device plugins advertising extended resources and Multus attaching secondary networks.
/// </summary>
internal sealed class SimulatedKubelet
{
    private const string Component = "kubelet";
    private readonly ClusterContext _context;
    private readonly WorkQueue _queue;
    private readonly ConcurrentDictionary<string, PodRuntime> _runtime = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, V1Pod> _gone = new(StringComparer.Ordinal);
    private readonly CniBinaries _cni;
    private readonly DevicePluginTracker _devices = new();
    private readonly IpamResolver _ipam;
    private readonly ClusterAddresses _addresses = new();

    public SimulatedKubelet(ClusterContext context, IpAddressAllocator allocator)
    {
        _context = context;
        Allocator = allocator;
        _queue = new WorkQueue(context.Time);
        _ipam = new IpamResolver(context.Api);
        _cni = new CniBinaries(new Dictionary<string, IReadOnlyList<string>>(context.Options.CniBinariesByImage, StringComparer.Ordinal));
        context.PodInformer.OnChange((old, pod) =>
        {
            if (pod is null)
            {
                var key = Informer<V1Pod>.KeyOf(old!);
                if (!string.IsNullOrEmpty(old!.Spec.NodeName))
                {
                    _gone[key] = old;
                    _queue.Add(key);
                }

                return;
            }

            if (!string.IsNullOrEmpty(pod.Spec.NodeName))
            {
                _queue.Add(Informer<V1Pod>.KeyOf(pod));
            }
        });
    }

    public IpAddressAllocator Allocator { get; }

    public int Pending => _queue.Pending;

    public Task RunAsync(CancellationToken cancellationToken) =>
        _queue.RunAsync(_context.Options.Workers, SyncAsync, (key, e) => _context.ReportError(Component, key, e), cancellationToken);

    /// <summary>Re-examines every pod on the node (after a failure rule changed, for example).</summary>
    public void Resync()
    {
        foreach (var pod in _context.PodInformer.Items)
        {
            if (!string.IsNullOrEmpty(pod.Spec.NodeName))
            {
                _queue.Add(Informer<V1Pod>.KeyOf(pod));
            }
        }
    }

    private async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var pod = _context.PodInformer.Get(key);
        if (pod is null)
        {
            if (_gone.TryRemove(key, out var old))
            {
                await ReleaseAsync(key, old, cancellationToken);
            }

            return;
        }

        var nodeName = pod.Spec.NodeName;
        if (string.IsNullOrEmpty(nodeName) || _context.NodeInformer.Get(nodeName) is not { } node)
        {
            return;
        }

        if (pod.Metadata.DeletionTimestamp is { } deletion)
        {
            await TerminateAsync(key, pod, deletion, cancellationToken);
            return;
        }

        if (PodState.IsFinished(pod))
        {
            return;
        }

        var now = _context.Time.GetUtcNow();
        var runtime = _runtime.GetOrAdd(key, _ => new PodRuntime(now));
        var rule = FailureFor(pod, nodeName);
        // A healthy running container keeps running; crash rules apply at a container's next (re)start.
        if (runtime.Running && (runtime.Restarts == 0 || rule is null) && PodState.IsReady(pod))
        {
            return;
        }

        var delay = _context.Options.NodeKubeletDelays.TryGetValue(nodeName, out var perNode) ? perNode : _context.Options.KubeletDelay;
        if (!runtime.Running && now < runtime.FirstSeen + delay)
        {
            _queue.AddAfter(key, runtime.FirstSeen + delay - now);
            return;
        }

        var stamp = Timestamp.Format(now);
        var hostIp = _addresses.NodeIp(node);
        if (!runtime.Running)
        {
            if (await MissingVolumeSourceAsync(pod, runtime, stamp, hostIp, cancellationToken) ||
                !await AttachNetworksAsync(key, pod, node, runtime, stamp, hostIp, cancellationToken))
            {
                _queue.AddAfter(key, _context.Options.SandboxRetryInterval);
                return;
            }

            if (UnpullableImage(pod) is { } image)
            {
                await PullFailedAsync(pod, runtime, image, stamp, hostIp, cancellationToken);
                _queue.AddAfter(key, _context.Options.SandboxRetryInterval);
                return;
            }
        }

        runtime.PodIp ??= pod.Status?.PodIP ?? (pod.Spec.HostNetwork == true ? hostIp : _addresses.NextPodIp());
        if (pod.Spec.RestartPolicy is "Never" or "OnFailure")
        {
            await RunToCompletionAsync(key, pod, nodeName, runtime, rule, stamp, hostIp, cancellationToken);
            return;
        }

        if (rule is not null)
        {
            await CrashAsync(key, pod, runtime, rule, stamp, hostIp, now, cancellationToken);
            return;
        }

        var written = await _context.PatchStatusAsync(_context.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name,
            PodStatusBuilder.Running(pod, stamp, hostIp, runtime.PodIp, runtime.Restarts), cancellationToken);
        runtime.Running = true;
        runtime.Waiting = null;
        _context.Counters.PodStarted();
        _context.PodInformer.Assume(written);
        await OnStartedAsync(key, pod, nodeName, cancellationToken);
    }

    // A pod whose containers exit (a Job's): Running while its command runs, then Succeeded or Failed by exit codes.
    private async Task RunToCompletionAsync(string key, V1Pod pod, string nodeName, PodRuntime runtime, FailureOverride? rule, string stamp, string hostIp,
        CancellationToken cancellationToken)
    {
        var running = await _context.PatchStatusAsync(_context.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name,
            PodStatusBuilder.Running(pod, stamp, hostIp, runtime.PodIp!, 0), cancellationToken);
        runtime.Running = true;
        _context.Counters.PodStarted();
        _context.PodInformer.Assume(running);
        var exitCodes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var container in pod.Spec.Containers ?? [])
        {
            try
            {
                exitCodes[container.Name] = rule is not null && rule.Matches(container.Image, nodeName) ? 1
                    : _context.Options.ContainerCommand is { } command ? await command(pod, container, cancellationToken) : 0;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The command crashed: the container exits non-zero, as a process would.
                _context.ReportError(Component, key, e);
                exitCodes[container.Name] = 1;
            }
        }

        try
        {
            var done = await _context.PatchStatusAsync(_context.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name,
                PodStatusBuilder.Completed(pod, stamp, Timestamp.Format(_context.Time.GetUtcNow()), hostIp, runtime.PodIp!, exitCodes), cancellationToken);
            _context.PodInformer.Assume(done);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Deleted while it ran.
        }

        _runtime.TryRemove(key, out _);
    }

    private FailureOverride? FailureFor(V1Pod pod, string node)
    {
        lock (_context.Options.Failures)
        {
            foreach (var rule in _context.Options.Failures)
            {
                if ((pod.Spec.Containers ?? []).Any(c => rule.Matches(c.Image, node)))
                {
                    return rule;
                }
            }
        }

        return null;
    }

    private async Task CrashAsync(string key, V1Pod pod, PodRuntime runtime, FailureOverride rule, string stamp, string hostIp,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (runtime.NextRestart is { } next && now < next)
        {
            _queue.AddAfter(key, next - now);
            return;
        }

        // Each restart doubles the back-off (base, 2×base, … capped at five minutes), as the kubelet does.
        runtime.Restarts++;
        runtime.Running = true;
        var backoff = TimeSpan.FromTicks(Math.Min(_context.Options.CrashLoopBackoff.Ticks << Math.Min(runtime.Restarts - 1, 20), TimeSpan.FromMinutes(5).Ticks));
        runtime.NextRestart = now + backoff;
        var written = await _context.PatchStatusAsync(_context.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name,
            PodStatusBuilder.CrashLooping(pod, stamp, hostIp, runtime.PodIp!, runtime.Restarts, c => rule.Matches(c.Image, pod.Spec.NodeName), Format(backoff), rule),
            cancellationToken);
        _context.Counters.ContainerRestarted();
        _context.PodInformer.Assume(written);
        if (runtime.Restarts == 1 || runtime.Restarts % 5 == 0)
        {
            await _context.RecordEventAsync(pod, "Warning", "BackOff", "Back-off restarting failed container", Component, pod.Spec.NodeName, cancellationToken);
        }

        await OnStoppedAsync(key, pod, cancellationToken);
        _queue.AddAfter(key, backoff);
    }

    private static string Format(TimeSpan span) =>
        span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m{span.Seconds}s" : span.TotalSeconds >= 1 ? $"{(int)span.TotalSeconds}s" : $"{(int)span.TotalMilliseconds}ms";

    private string? UnpullableImage(V1Pod pod)
    {
        lock (_context.Options.UnpullableImages)
        {
            return (pod.Spec.InitContainers ?? []).Concat(pod.Spec.Containers ?? []).Select(c => c.Image)
                .FirstOrDefault(i => i is not null && _context.Options.UnpullableImages.Any(u => i.Contains(u, StringComparison.Ordinal)));
        }
    }

    // The kubelet's words for a tag the registry does not have (containerd's "not found"), then its back-off.
    private async Task PullFailedAsync(V1Pod pod, PodRuntime runtime, string image, string stamp, string hostIp, CancellationToken cancellationToken)
    {
        var backoff = $"Back-off pulling image \"{image}\"";
        if (runtime.Waiting == backoff)
        {
            return;
        }

        runtime.Waiting = backoff;
        var written = await _context.PatchStatusAsync(_context.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name,
            PodStatusBuilder.Waiting(pod, stamp, hostIp, "ImagePullBackOff", backoff), cancellationToken);
        _context.PodInformer.Assume(written);
        await _context.RecordEventAsync(pod, "Warning", "Failed",
            $"Failed to pull image \"{image}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": " +
            $"failed to resolve reference \"{image}\": {image}: not found", Component, pod.Spec.NodeName, cancellationToken);
        await _context.RecordEventAsync(pod, "Warning", "BackOff", backoff, Component, pod.Spec.NodeName, cancellationToken);
    }

    // A ConfigMap or Secret volume whose object does not exist keeps the pod in ContainerCreating (a Secret that
    // cert-manager never issued, say), as the kubelet's volume manager does.
    private async Task<bool> MissingVolumeSourceAsync(V1Pod pod, PodRuntime runtime, string stamp, string hostIp, CancellationToken cancellationToken)
    {
        var ns = pod.Metadata.NamespaceProperty;
        foreach (var volume in pod.Spec.Volumes ?? [])
        {
            var missing = volume switch
            {
                { ConfigMap: { Name: { } name } source } when source.Optional != true && _context.ConfigMapInformer.Get(ns, name) is null => $"configmap \"{name}\"",
                { Secret: { SecretName: { } name } source } when source.Optional != true && _context.Api.TryGet(_context.Secrets, ns, name) is null => $"secret \"{name}\"",
                _ => null,
            };
            if (missing is not null)
            {
                var message = $"MountVolume.SetUp failed for volume \"{volume.Name}\" : {missing} not found";
                await WaitingAsync(pod, runtime, "FailedMount", message, stamp, hostIp, cancellationToken);
                return true;
            }
        }

        return false;
    }

    private async Task WaitingAsync(V1Pod pod, PodRuntime runtime, string reason, string message, string stamp, string hostIp, CancellationToken cancellationToken)
    {
        if (runtime.Waiting == message)
        {
            return;
        }

        runtime.Waiting = message;
        var written = await _context.PatchStatusAsync(_context.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name,
            PodStatusBuilder.Waiting(pod, stamp, hostIp, "ContainerCreating", null), cancellationToken);
        _context.PodInformer.Assume(written);
        await _context.RecordEventAsync(pod, "Warning", reason, message, Component, pod.Spec.NodeName, cancellationToken);
    }

    /// <summary>
    /// Multus's part: a pod asking for secondary networks is attached only when its node has the binaries a real node
    /// would need — Multus, every plugin type of each NAD and its IPAM type, installed by Ready component pods there
    /// (<see cref="CniBinaries"/>). Every NAD must exist, and each attachment gets an address from its IPAM pool.
    /// Otherwise the sandbox fails with the plugin named and the pod waits in ContainerCreating.
    /// </summary>
    private async Task<bool> AttachNetworksAsync(string key, V1Pod pod, V1Node node, PodRuntime runtime, string stamp, string hostIp,
        CancellationToken cancellationToken)
    {
        var annotations = pod.Metadata.Annotations;
        if (pod.Spec.HostNetwork == true || annotations is null ||
            !annotations.TryGetValue(NetworkSelection.NetworksAnnotation, out var requested) ||
            annotations.ContainsKey(NetworkSelection.NetworkStatusAnnotation))
        {
            return true;
        }

        if (!_cni.Has(node.Metadata.Name, "multus-shim"))
        {
            // Without Multus the node's CNI config has no meta-plugin that reads the networks annotation.
            await WaitingAsync(pod, runtime, "FailedCreatePodSandBox",
                "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox: " +
                "plugin type=\"multus-shim\" name=\"multus-cni-network\" failed (add): failed to find plugin \"multus-shim\" in path [/opt/cni/bin]",
                stamp, hostIp, cancellationToken);
            return false;
        }

        IReadOnlyList<NetworkAttachment> attachments;
        try
        {
            attachments = NetworkSelection.Parse(requested, pod.Metadata.NamespaceProperty);
        }
        catch (FormatException e)
        {
            await SandboxFailedAsync(pod, runtime, e.Message, stamp, hostIp, cancellationToken);
            return false;
        }

        foreach (var attachment in attachments)
        {
            if (_ipam.RequiredBinaries(attachment).FirstOrDefault(b => !_cni.Has(node.Metadata.Name, b)) is { } missing)
            {
                await SandboxFailedAsync(pod, runtime,
                    $"error adding container to network \"{attachment.Namespace}/{attachment.Name}\": failed to find plugin \"{missing}\" in path [/opt/cni/bin]",
                    stamp, hostIp, cancellationToken);
                return false;
            }
        }

        var entries = new List<JsonObject>();
        runtime.PodIp ??= _addresses.NextPodIp();
        entries.Add(new JsonObject
        {
            ["name"] = "cbr0",
            ["interface"] = "eth0",
            ["ips"] = new JsonArray(runtime.PodIp),
            ["mac"] = ClusterAddresses.Mac(pod.Metadata.Uid, "eth0"),
            ["default"] = true,
            ["dns"] = new JsonObject(),
        });
        for (var i = 0; i < attachments.Count; i++)
        {
            var attachment = attachments[i];
            var iface = attachment.Interface ?? $"net{i + 1}";
            var (pool, error) = _ipam.Resolve(attachment);
            if (error is not null)
            {
                Allocator.Release(key);
                await SandboxFailedAsync(pod, runtime, error, stamp, hostIp, cancellationToken);
                return false;
            }

            var ips = new JsonArray();
            if (pool is not null)
            {
                string? address = null;
                if (attachment.Ips is { Count: > 0 } wanted)
                {
                    var ip = wanted[0].Split('/')[0];
                    address = Allocator.TryReserve(key, pool.Key, ip) ? ip : null;
                }
                else
                {
                    address = Allocator.Allocate(key, pool.Key, pool.Range);
                }

                if (address is null)
                {
                    Allocator.Release(key);
                    await SandboxFailedAsync(pod, runtime, $"failed to allocate an address from {pool.Range.Cidr} for {attachment.Namespace}/{attachment.Name}: no free address",
                        stamp, hostIp, cancellationToken);
                    return false;
                }

                ips.Add(address);
            }

            entries.Add(new JsonObject
            {
                ["name"] = $"{attachment.Namespace}/{attachment.Name}",
                ["interface"] = iface,
                ["ips"] = ips,
                ["mac"] = attachment.Mac ?? ClusterAddresses.Mac(pod.Metadata.Uid, iface),
                ["dns"] = new JsonObject(),
            });
        }

        var status = new JsonArray([.. entries]).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        var written = await _context.PatchAsync(_context.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name,
            new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [NetworkSelection.NetworkStatusAnnotation] = status } } },
            cancellationToken);
        _context.PodInformer.Assume(written);
        pod.Metadata.Annotations![NetworkSelection.NetworkStatusAnnotation] = status;
        await _context.RecordEventAsync(pod, "Normal", "AddedInterface",
            string.Join("; ", entries.Select(e => $"Add {e["interface"]} [{string.Join(",", ((JsonArray)e["ips"]!).Select(x => x!.ToString()))}] from {e["name"]}")),
            "multus", node.Metadata.Name, cancellationToken);
        return true;
    }

    private Task SandboxFailedAsync(V1Pod pod, PodRuntime runtime, string reason, string stamp, string hostIp, CancellationToken cancellationToken) =>
        WaitingAsync(pod, runtime, "FailedCreatePodSandBox",
            $"Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox: plugin type=\"multus-shim\" " +
            $"name=\"multus-cni-network\" failed (add): [{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}:{pod.Metadata.Uid}]: {reason}",
            stamp, hostIp, cancellationToken);

    /// <summary>The data-plane effects of a pod becoming Ready: device plugins register, Multus starts serving.</summary>
    private async Task OnStartedAsync(string key, V1Pod pod, string nodeName, CancellationToken cancellationToken)
    {
        _cni.Started(nodeName, key, pod);

        if (DevicePluginResources.KindOf(pod) != DevicePluginResources.PluginKind.None)
        {
            var resources = DevicePluginResources.For(pod, name => _context.ConfigMapInformer.Get(pod.Metadata.NamespaceProperty, name),
                _context.Options.SriovDeviceCount);
            await AdvertiseAsync(nodeName, key, resources, cancellationToken);
        }
    }

    private async Task OnStoppedAsync(string key, V1Pod pod, CancellationToken cancellationToken)
    {
        var nodeName = pod.Spec.NodeName;
        _cni.Stopped(nodeName, key);

        if (_devices.Tracks(nodeName, key))
        {
            await AdvertiseAsync(nodeName, key, null, cancellationToken);
        }
    }

    private async Task AdvertiseAsync(string nodeName, string podKey, Dictionary<string, long>? resources, CancellationToken cancellationToken)
    {
        var (advertised, removed) = _devices.Set(nodeName, podKey, resources);
        if (advertised.Count == 0 && removed.Count == 0)
        {
            return;
        }

        var values = new JsonObject();
        foreach (var (name, count) in advertised)
        {
            values[name] = count.ToString(CultureInfo.InvariantCulture);
        }

        foreach (var name in removed)
        {
            values[name] = null;
        }

        try
        {
            var written = await _context.PatchStatusAsync(_context.Nodes, null, nodeName,
                new JsonObject { ["capacity"] = values.DeepClone(), ["allocatable"] = values }, cancellationToken);
            _context.NodeInformer.Assume(written);
        }
        catch (ApiException e) when (e.Code == 404)
        {
        }
    }

    private async Task TerminateAsync(string key, V1Pod pod, DateTime deletion, CancellationToken cancellationToken)
    {
        await OnStoppedAsync(key, pod, cancellationToken);
        var grace = TimeSpan.FromSeconds(pod.Metadata.DeletionGracePeriodSeconds ?? 0);
        var stop = _context.Options.ContainerStopDelay < grace ? _context.Options.ContainerStopDelay : grace;
        var now = _context.Time.GetUtcNow();
        // deletionTimestamp is the deadline; the kubelet was told at deadline - grace and stops the containers then.
        var start = new DateTimeOffset(DateTime.SpecifyKind(deletion, DateTimeKind.Utc)) - grace;
        var done = start + stop;
        if (now < done)
        {
            _queue.AddAfter(key, done - now);
            return;
        }

        Allocator.Release(key);
        _runtime.TryRemove(key, out _);
        try
        {
            var result = await _context.Api.DeleteAsync(_context.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name,
                new DeleteOptions { GracePeriodSeconds = 0, PreconditionUid = pod.Metadata.Uid }, cancellationToken);
            if (result.Deleted)
            {
                _context.PodInformer.AssumeDeleted(result.Object);
            }
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
        }
    }

    private async Task ReleaseAsync(string key, V1Pod old, CancellationToken cancellationToken)
    {
        Allocator.Release(key);
        _runtime.TryRemove(key, out _);
        await OnStoppedAsync(key, old, cancellationToken);
    }
}
