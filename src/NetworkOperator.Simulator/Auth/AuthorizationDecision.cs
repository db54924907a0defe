namespace NetworkOperator.Simulator.Auth;

/// <summary>An authorizer's answer: allowed or not, and the reason it gives (what SubjectAccessReview status carries).</summary>
public sealed record AuthorizationDecision(bool Allowed, string Reason);
