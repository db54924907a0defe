using NetworkOperator.Rendering.Common;

namespace NetworkOperator.Rendering.Tests.Common;

public class ImagePathTests
{
    [Fact]
    public void Tag_versions_are_joined_with_a_colon()
    {
        Assert.Equal("nvcr.io/mellanox/mofed:5.7-1.0.0.0", ImagePath.Build("nvcr.io/mellanox", "mofed", "5.7-1.0.0.0"));
    }

    [Fact]
    public void Sha256_versions_are_digests()
    {
        Assert.Equal("nvcr.io/mellanox/mofed@sha256:1234567890", ImagePath.Build("nvcr.io/mellanox", "mofed", "sha256:1234567890"));
        Assert.True(ImagePath.IsDigest("sha256:abc"));
        Assert.False(ImagePath.IsDigest("v1.0"));
    }

    [Fact]
    public void A_trailing_slash_on_the_repository_does_not_double()
    {
        Assert.Equal("ghcr.io/org/img:v1", ImagePath.Build("ghcr.io/org/", "img", "v1"));
    }
}
