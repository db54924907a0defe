using System.Globalization;

namespace NetworkOperator.Controllers.Startup;

/// <summary>
/// The operator's environment variables (the same names as upstream's) parsed once at start-up. Unset or empty variables keep the
/// upstream defaults; a malformed value is a start-up error naming the variable, not a silent default.
/// </summary>
public sealed record OperatorEnvironment
{
    public const string DefaultNamespace = "nvidia-network-operator";

    public string Namespace { get; init; } = DefaultNamespace;

    /// <summary><c>CONTROLLER_REQUEST_REQUEUE_SECONDS</c>: how soon a not-ready policy or network is looked at again.</summary>
    public TimeSpan NotReadyRequeue { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>DOCA_DRIVER_IMAGE_POLL_TIME_MINUTES</c>: how long precompiled-driver tag lists are trusted.</summary>
    public TimeSpan DriverImagePollPeriod { get; init; } = TimeSpan.FromMinutes(30);

    public string? OfedInitContainerImage { get; init; }

    public bool UseDriverToolkit { get; init; } = true;

    /// <summary>Null means "the platform default" (OpenShift and vanilla Kubernetes differ).</summary>
    public string? CniBinDirectory { get; init; }

    public string? CniNetworkDirectory { get; init; }

    public bool DisableMigration { get; init; }

    public bool EnableWebhooks { get; init; }

    public bool SkipValidations { get; init; }

    public bool MaintenanceOperatorEnabled { get; init; }

    public string? MaintenanceOperatorRequestorId { get; init; }

    public string MaintenanceOperatorRequestorNamespace { get; init; } = "default";

    public string MaintenanceOperatorNodeMaintenancePrefix { get; init; } = "nvidia-operator";

    public static OperatorEnvironment FromProcess() => Read(Environment.GetEnvironmentVariable);

    public static OperatorEnvironment Read(Func<string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        string? Value(string name)
        {
            var value = get(name);
            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }

        return new OperatorEnvironment
        {
            Namespace = Value("POD_NAMESPACE") ?? DefaultNamespace,
            NotReadyRequeue = TimeSpan.FromSeconds(PositiveNumber(Value, "CONTROLLER_REQUEST_REQUEUE_SECONDS", 5)),
            DriverImagePollPeriod = TimeSpan.FromMinutes(PositiveNumber(Value, "DOCA_DRIVER_IMAGE_POLL_TIME_MINUTES", 30)),
            OfedInitContainerImage = Value("OFED_INIT_CONTAINER_IMAGE"),
            UseDriverToolkit = Flag(Value, "USE_DTK", true),
            CniBinDirectory = Value("CNI_BIN_DIR"),
            CniNetworkDirectory = Value("CNI_NETWORK_DIR"),
            DisableMigration = Flag(Value, "DISABLE_MIGRATION", false),
            EnableWebhooks = Flag(Value, "ENABLE_WEBHOOKS", false),
            SkipValidations = Flag(Value, "SKIP_VALIDATIONS", false),
            MaintenanceOperatorEnabled = Flag(Value, "MAINTENANCE_OPERATOR_ENABLED", false),
            MaintenanceOperatorRequestorId = Value("MAINTENANCE_OPERATOR_REQUESTOR_ID"),
            MaintenanceOperatorRequestorNamespace = Value("MAINTENANCE_OPERATOR_REQUESTOR_NAMESPACE") ?? "default",
            MaintenanceOperatorNodeMaintenancePrefix = Value("MAINTENANCE_OPERATOR_NODE_MAINTENANCE_PREFIX") ?? "nvidia-operator",
        };
    }

    private static double PositiveNumber(Func<string, string?> value, string name, double fallback)
    {
        var text = value(name);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            throw new OperatorConfigurationException($"environment variable {name}=\"{text}\" is not a positive number");
        }

        return number;
    }

    // Upstream parses these with strconv.ParseBool, so 1/t/T/TRUE/true/True and their false twins are accepted.
    private static bool Flag(Func<string, string?> value, string name, bool fallback)
    {
        var text = value(name);
        return text switch
        {
            null => fallback,
            "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
            "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
            _ => throw new OperatorConfigurationException($"environment variable {name}=\"{text}\" is not a boolean (true/false)"),
        };
    }
}
