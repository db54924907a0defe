using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using NetworkOperator.Api.Contract;

namespace NetworkOperator.Controllers.Tests.Upgrade;

/// <summary>
/// Plays the DaemonSet controller (OnDelete), kubelet and ReplicaSet controller for the executor tests, over the real
/// API: keeps one driver pod per node labelled with the newest revision hash at creation, recreates deleted driver
/// pods from the current template, marks them ready, and reschedules evicted workload pods onto a schedulable node.
/// Stands in until the simulator's own cluster controllers are on main.
/// </summary>
internal sealed class DriverDaemonSetStandIn : IAsyncDisposable
{
    public const string Namespace = "nvidia-network-operator";
    public const string DsName = "mofed-ubuntu22.04-abcd1234-ds";

    private readonly IKubernetes _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _nodes;
    private Task? _loop;
    private int _revision;
    private int _serial;

    public DriverDaemonSetStandIn(IKubernetes client, IEnumerable<string> nodes)
    {
        _client = client;
        _nodes = [.. nodes];
    }

    public string CurrentHash { get; private set; } = "";

    public int WorkloadsRescheduled;

    public async Task StartAsync()
    {
        await _client.AppsV1.CreateNamespacedDaemonSetAsync(new V1DaemonSet
        {
            Metadata = new V1ObjectMeta
            {
                Name = DsName, NamespaceProperty = Namespace,
                Labels = new Dictionary<string, string> { [Labels.OfedDriver] = "", [Labels.DsOwner] = Labels.DsOwnerClusterPolicy, [Labels.MofedDsFormatVersion] = "1" },
            },
            Spec = new V1DaemonSetSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = DsName } },
                UpdateStrategy = new V1DaemonSetUpdateStrategy { Type = "OnDelete" },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = DsName } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "mofed-container", Image = "doca-driver:1" }] },
                },
            },
        }, Namespace);
        await BumpAsync();
        await SyncAsync(CancellationToken.None);
        _loop = Task.Run(() => LoopAsync(_stop.Token));
    }

    /// <summary>A new template version: a new newest ControllerRevision.</summary>
    public async Task BumpAsync()
    {
        _revision++;
        CurrentHash = $"h{_revision}";
        await _client.AppsV1.CreateNamespacedControllerRevisionAsync(new V1ControllerRevision
        {
            Metadata = new V1ObjectMeta
            {
                Name = $"{DsName}-{CurrentHash}", NamespaceProperty = Namespace,
                Labels = new Dictionary<string, string> { ["app"] = DsName, [Labels.ControllerRevisionHash] = CurrentHash },
            },
            Revision = _revision,
            Data = new Dictionary<string, object>(),
        }, Namespace);
        if (_revision > 1)
        {
            // The template change itself, which is what wakes watchers of the DaemonSet.
            var patch = $"{{\"spec\":{{\"template\":{{\"metadata\":{{\"annotations\":{{\"driver-version\":\"{CurrentHash}\"}}}}}}}}}}";
            await _client.AppsV1.PatchNamespacedDaemonSetAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), DsName, Namespace);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stop.Dispose();
    }

    private async Task LoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await SyncAsync(stop);
                await Task.Delay(50, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException)
            {
                // Races with the operator (409/404) are retried on the next round.
            }
        }
    }

    private async Task SyncAsync(CancellationToken stop)
    {
        var ds = await _client.AppsV1.ReadNamespacedDaemonSetAsync(DsName, Namespace, cancellationToken: stop);
        var pods = (await _client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: "app=" + DsName, cancellationToken: stop)).Items;
        foreach (var node in _nodes.Where(n => pods.All(p => p.Spec.NodeName != n)))
        {
            var pod = await _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta
                {
                    Name = $"{DsName}-{Interlocked.Increment(ref _serial)}", NamespaceProperty = Namespace,
                    Labels = new Dictionary<string, string>
                    {
                        ["app"] = DsName, [Labels.OfedDriver] = "", [Labels.DsOwner] = Labels.DsOwnerClusterPolicy, [Labels.ControllerRevisionHash] = CurrentHash,
                    },
                    OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "DaemonSet", Name = DsName, Uid = ds.Metadata.Uid, Controller = true }],
                },
                Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "mofed-container", Image = "doca-driver" }] },
            }, Namespace, cancellationToken: stop);
            pod.Status = new V1PodStatus
            {
                Phase = "Running",
                Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }],
                ContainerStatuses = [new V1ContainerStatus { Name = "mofed-container", Ready = true, RestartCount = 0, Image = "doca-driver", ImageID = "doca-driver" }],
            };
            await _client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, pod.Metadata.Name, Namespace, cancellationToken: stop);
        }

        var count = (await _client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: "app=" + DsName, cancellationToken: stop)).Items.Count;
        if (ds.Status?.DesiredNumberScheduled != _nodes.Count || ds.Status?.NumberReady != count)
        {
            ds.Status = new V1DaemonSetStatus { DesiredNumberScheduled = _nodes.Count, CurrentNumberScheduled = count, NumberReady = count, NumberMisscheduled = 0 };
            await _client.AppsV1.ReplaceNamespacedDaemonSetStatusAsync(ds, DsName, Namespace, cancellationToken: stop);
        }

        await RescheduleWorkloadsAsync(stop);
    }

    // Workloads are "web-<n>" pods in default; one evicted is recreated on a schedulable node, as its ReplicaSet would.
    private async Task RescheduleWorkloadsAsync(CancellationToken stop)
    {
        var web = (await _client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=web", cancellationToken: stop)).Items;
        var expected = WebReplicas;
        if (web.Count >= expected)
        {
            return;
        }

        var nodes = (await _client.CoreV1.ListNodeAsync(cancellationToken: stop)).Items.Where(n => n.Spec?.Unschedulable != true).ToList();
        if (nodes.Count == 0)
        {
            return;
        }

        for (var i = web.Count; i < expected; i++)
        {
            var node = nodes[Random.Shared.Next(nodes.Count)].Metadata.Name;
            try
            {
                await KubeObjectsForTests.CreateRunningPodAsync(_client, "default", $"web-r{Interlocked.Increment(ref _serial)}", node, new() { ["app"] = "web" });
                Interlocked.Increment(ref WorkloadsRescheduled);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
            {
            }
        }
    }

    public int WebReplicas { get; set; }
}
