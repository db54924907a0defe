using System.CommandLine;
using NetworkOperator.Simulator;

namespace NetworkOperator.Cli.Commands;

/// <summary>`network-operator sim`: serves the embedded API server until Ctrl+C and writes a kubeconfig for kubectl.</summary>
internal sealed class SimCommand : ICliCommand
{
    public int Order => 500;

    public Command Build()
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => 0 };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Where to write the kubeconfig (default: ./sim.kubeconfig)." };
        var command = new Command("sim", "Run the embedded Kubernetes API server on 127.0.0.1 until Ctrl+C.") { port, kubeconfig };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var portValue = parseResult.GetValue(port);
            if (portValue is < 0 or > 65535)
            {
                throw new UserErrorException($"--port must be between 0 and 65535, got {portValue}");
            }

            var path = parseResult.GetValue(kubeconfig) ?? Path.Combine(Environment.CurrentDirectory, "sim.kubeconfig");
            await using var server = new SimulatedApiServer(new SimulatedApiServerOptions { Port = portValue });
            try
            {
                await server.StartAsync(cancellationToken);
            }
            catch (IOException ex)
            {
                throw new UserErrorException($"cannot listen on 127.0.0.1:{portValue}: {ex.Message}");
            }

            string written;
            try
            {
                written = server.WriteKubeconfig(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UserErrorException($"cannot write kubeconfig '{path}': {ex.Message}");
            }

            Console.Out.WriteLine($"API server listening on {server.BaseAddress}");
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
