namespace NetworkOperator.Controllers.Webhooks;

/// <summary>The request body is not an AdmissionReview v1 with a request; answered with HTTP 400.</summary>
public sealed class AdmissionReviewException : Exception
{
    public AdmissionReviewException(string message)
        : base(message)
    {
    }

    public AdmissionReviewException()
    {
    }

    public AdmissionReviewException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
