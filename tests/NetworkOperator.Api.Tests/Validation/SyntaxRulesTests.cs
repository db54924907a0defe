using NetworkOperator.Api.Validation;

namespace NetworkOperator.Api.Tests.Validation;

public class SyntaxRulesTests
{
    [Theory]
    [InlineData("nvcr.io/nvidia/mellanox", true)]
    [InlineData("ghcr.io/k8snetworkplumbingwg", true)]
    [InlineData("mellanox", true)]
    [InlineData("localhost:5000/team/images", true)]
    [InlineData("[fd00::1]:5000/images", true)]
    [InlineData("registry.example.com/a__b/c-d.e", true)]
    [InlineData("nvcr.io/nvidia/mellanox:tag", true)]
    [InlineData("", false)]
    [InlineData("nvcr.io/NVIDIA", false)]
    [InlineData("nvcr.io//nvidia", false)]
    [InlineData("nvcr.io/nvidia/", false)]
    [InlineData("-nvcr.io/nvidia", false)]
    [InlineData("nvcr.io/nvidia/mellanox:", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    public void Image_reference_grammar(string repository, bool valid)
    {
        Assert.Equal(valid, ImageReference.TryParse(repository, out var reason));
        Assert.Equal(valid, reason.Length == 0);
    }

    [Theory]
    [InlineData("02:00:00:00:00:00:00:00", true, 0x0200000000000000UL)]
    [InlineData("ff:FF:ff:FF:ff:FF:ff:FE", true, 0xFFFFFFFFFFFFFFFEUL)]
    [InlineData("02:00:00:00:00:00:00", false, 0UL)]
    [InlineData("02-00-00-00-00-00-00-00", false, 0UL)]
    [InlineData("0g:00:00:00:00:00:00:00", false, 0UL)]
    public void InfiniBand_guid(string text, bool valid, ulong value)
    {
        Assert.Equal(valid, InfiniBandGuid.TryParse(text, out var parsed));
        Assert.Equal(value, parsed);
    }

    [Theory]
    [InlineData("doca3.1.0-25.07-0.9.7.0-0", true)]
    [InlineData("doca2.9-24.10-0.7.0.0-0-custom.build", true)]
    [InlineData("25.07-0.9.7.0", true)]
    [InlineData("24.10-0.7.0.0-0", true)]
    [InlineData("23.10-0.5.5", true)]
    [InlineData("sha256:0d5e4b7a3b1c2d8e9f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6", true)]
    [InlineData("sha256:abc", false)]
    [InlineData("v25.07", false)]
    [InlineData("25.07", false)]
    [InlineData("doca3.1.0-25.07", false)]
    public void Ofed_version(string version, bool valid) => Assert.Equal(valid, OfedVersion.IsValid(version));

    [Theory]
    [InlineData("hostdev", true)]
    [InlineData("rdma_shared.a-1", true)]
    [InlineData("nvidia.com/hostdev", true)]
    [InlineData("hostdev-", false)]
    [InlineData("Nvidia.com/hostdev", false)]
    [InlineData("nvidia.com/", false)]
    [InlineData("", false)]
    public void Resource_name(string name, bool valid) => Assert.Equal(valid, KubernetesNames.IsResourceName(name));
}
