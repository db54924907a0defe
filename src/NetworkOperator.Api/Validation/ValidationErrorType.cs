namespace NetworkOperator.Api.Validation;

/// <summary>The Kubernetes field-error categories, so webhook rejections read like API server ones.</summary>
public enum ValidationErrorType
{
    Invalid,
    Required,
    NotSupported,
    Forbidden,
    Duplicate,
}
