using System.CommandLine;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Cli;
using NetworkOperator.Simulator;
using NetworkOperator.Simulator.Cluster;
using NetworkOperator.Simulator.Cluster.Nodes;

namespace NetworkOperator.Tools.Commands;

/// <summary>`network-operator-tools sim`: serves the embedded API server until Ctrl+C and writes a kubeconfig for kubectl.</summary>
internal sealed class SimCommand : ICliCommand
{
    public int Order => 500;

    public Command Build()
    {
        // --port is the HTTPS port because that is the one the kubeconfig names (kubectl and helm send tokens only over
        // TLS): a user who asks for 6443 expects `kubectl` to talk to 6443.
        var port = new Option<int>("--port") { Description = "HTTPS port on 127.0.0.1, the one the kubeconfig names (0 picks a free one).", DefaultValueFactory = _ => 0 };
        var httpPort = new Option<int>("--http-port") { Description = "Plain HTTP port on 127.0.0.1 for curl and scripts (0 picks a free one).", DefaultValueFactory = _ => 0 };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Where to write the kubeconfig (default: ./sim.kubeconfig)." };
        var nodes = new Option<string?>("--nodes")
        {
            Description = "Node inventory (as `kubectl get nodes -o yaml` prints): run a simulated cluster with these nodes; a number N where no such file exists means N synthetic nodes, as --node-count.",
        };
        var nodeCount = new Option<int?>("--node-count") { Description = "Run a simulated cluster with N synthetic nodes over OS/kernel pools." }.AtLeast(1);
        var openShift = new Option<bool>("--openshift")
        {
            Description = "Serve an OpenShift cluster: ClusterVersion, the cluster Proxy, the Driver Toolkit ImageStream, SCCs, trusted CA injection and RHCOS nodes (3 unless --node-count or --nodes).",
        };
        var command = new Command("sim", "Run the embedded Kubernetes API server on 127.0.0.1 until Ctrl+C.") { port, httpPort, kubeconfig, nodes, nodeCount, openShift };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var portValue = parseResult.GetValue(port);
            var httpPortValue = parseResult.GetValue(httpPort);
            foreach (var (name, value) in new[] { ("--port", portValue), ("--http-port", httpPortValue) })
            {
                if (value is < 0 or > 65535)
                {
                    throw new UserErrorException($"{name} must be between 0 and 65535, got {value}");
                }
            }

            if (portValue != 0 && portValue == httpPortValue)
            {
                throw new UserErrorException($"--port and --http-port must differ, both are {portValue}");
            }

            var path = parseResult.GetValue(kubeconfig) ?? Path.Combine(Environment.CurrentDirectory, "sim.kubeconfig");
            var (nodesFile, count) = NodeSelection.From(parseResult.GetValue(nodes), parseResult.GetValue(nodeCount));
            var isOpenShift = parseResult.GetValue(openShift);

            if (nodesFile is not null)
            {
                // The same bounds and file checks as every other input file (size, documents, aliases, depth; regular
                // files only), before the simulator parses the inventory itself.
                var read = new ManifestReader([.. ReadableKind.Default.Where(k => k.ClrType == typeof(k8s.Models.V1Node))]).ReadFile(nodesFile);
                if (!read.Succeeded)
                {
                    throw new UserErrorException(string.Join(Environment.NewLine, read.Errors));
                }
            }

            if (count is < 1)
            {
                throw new UserErrorException($"--node-count must be at least 1, got {count}");
            }

            SimulatedCluster? cluster = null;
            var server = new SimulatedApiServer(new SimulatedApiServerOptions { Port = httpPortValue, SecurePort = portValue });
            try
            {
                if (nodesFile is not null || count is not null || isOpenShift)
                {
                    await server.DisposeAsync();
                    var options = new SimulatedClusterOptions
                    {
                        Server = { Port = httpPortValue, SecurePort = portValue }, NodesFile = nodesFile, NodeCount = count ?? (isOpenShift ? 3 : 0), OpenShift = isOpenShift,
                    };
                    cluster = await SimulatedCluster.StartAsync(options, cancellationToken);
                    server = cluster.Server;
                }
                else
                {
                    await server.StartAsync(cancellationToken);
                }
            }
            catch (NodeInventoryException ex)
            {
                throw new UserErrorException(ex.Message);
            }
            catch (IOException ex)
            {
                throw new UserErrorException($"cannot listen on 127.0.0.1 (--port {portValue}, --http-port {httpPortValue}; 0 = any free port): {ex.Message}");
            }

            await using IAsyncDisposable owner = cluster is not null ? cluster : server;

            string written;
            try
            {
                written = server.WriteKubeconfig(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UserErrorException($"cannot write kubeconfig '{path}': {ex.Message}");
            }

            Console.Out.WriteLine($"API server listening on {server.SecureAddress} (HTTPS, in the kubeconfig) and {server.BaseAddress} (plain HTTP)");
            if (cluster is not null)
            {
                Console.Out.WriteLine($"simulated {(isOpenShift ? "OpenShift " : string.Empty)}cluster with {cluster.NodeNames.Count} nodes (scheduler, workload controllers, kubelets, data plane)");
            }

            Console.Out.WriteLine($"kubeconfig written to {written}");
            Console.Out.WriteLine($"export KUBECONFIG={written}");
            Console.Out.WriteLine("Press Ctrl+C to stop.");
            await Console.Out.FlushAsync(cancellationToken);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            Console.Out.WriteLine("stopped");
            return 0;
        });
        return command;
    }
}
