using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Controllers.Webhooks;

namespace NetworkOperator.Cli.Commands;

/// <summary>What a `run` command line plus environment resolve to (see <see cref="RunCommand.Resolve"/>).</summary>
internal sealed record RunSettings(OperatorOptions Operator, WebhookOptions Webhook, FileInfo? Kubeconfig, LogSettings Logging);
