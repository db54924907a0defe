namespace NetworkOperator.Controllers.Startup;

/// <summary>A configuration mistake (environment, flags) that stops the operator before it starts reconciling.</summary>
public sealed class OperatorConfigurationException(string message) : Exception(message);
