namespace NetworkOperator.Api.Contract;

/// <summary>Condition types and reasons written to policy and network status; stable strings that alerts and scripts match on.</summary>
public static class ConditionTypes
{
    public const string Ready = "Ready";

    public const string OfedDriverReady = "OFEDDriverReady";
    public const string RdmaSharedDevicePluginReady = "RDMASharedDevicePluginReady";
    public const string SriovDevicePluginReady = "SRIOVDevicePluginReady";
    public const string IBKubernetesReady = "IBKubernetesReady";
    public const string MultusCniReady = "MultusCNIReady";
    public const string CniPluginsReady = "CNIPluginsReady";
    public const string IPoIBCniReady = "IPoIBCNIReady";

    /// <summary>Our name: upstream removed the whereabouts state before conditions existed.</summary>
    public const string WhereaboutsCniReady = "WhereaboutsCNIReady";
    public const string NvIpamReady = "NVIPAMReady";
    public const string NicFeatureDiscoveryReady = "NICFeatureDiscoveryReady";
    public const string DocaTelemetryServiceReady = "DOCATelemetryServiceReady";
    public const string NicConfigurationOperatorReady = "NICConfigurationOperatorReady";
    public const string SpectrumXOperatorReady = "SpectrumXOperatorReady";
}

/// <summary>Condition reasons: upstream's strings for the policies; the ones marked ours are additions.</summary>
public static class ConditionReasons
{
    public const string ComponentReady = "ComponentReady";
    public const string ComponentNotReady = "ComponentNotReady";
    public const string ComponentError = "ComponentError";
    public const string AllComponentsReady = "AllComponentsReady";
    public const string ComponentsNotReady = "ComponentsNotReady";

    /// <summary>Ready=False because the spec breaks a validation rule; nothing was applied for this generation (ours).</summary>
    public const string InvalidSpec = "InvalidSpec";

    /// <summary>A network's Ready=True: its NetworkAttachmentDefinition is in place (ours, as are the network reasons below).</summary>
    public const string NetworkReady = "NetworkReady";

    /// <summary>The NetworkAttachmentDefinition kind is not served: Multus or its CRD is not installed.</summary>
    public const string KindNotServed = "KindNotServed";

    /// <summary>spec.networkNamespace names a namespace that does not exist.</summary>
    public const string NamespaceNotFound = "NamespaceNotFound";

    /// <summary>Another network of the same name controls the NetworkAttachmentDefinition.</summary>
    public const string NameConflict = "NameConflict";

    /// <summary>The API server refused or failed the NetworkAttachmentDefinition write; the message has its words.</summary>
    public const string ApplyFailed = "ApplyFailed";
}
