using NetworkOperator.Controllers.Hosting;

namespace NetworkOperator.Controllers.Tests.Caching;

public sealed class StringPoolTests
{
    [Fact]
    public void Equal_strings_come_back_as_one_instance_until_the_pool_is_full()
    {
        var pool = new StringPool(capacity: 2);
        var first = pool.Intern(new string('a', 3));
        Assert.Same(first, pool.Intern(new string('a', 3)));
        Assert.Same(pool.Intern(new string('b', 3)), pool.Intern(new string('b', 3)));

        var unpooled = new string('c', 3);
        Assert.Same(unpooled, pool.Intern(unpooled));
        Assert.NotSame(unpooled, pool.Intern(new string('c', 3)));
        Assert.Equal(2, pool.Count);
    }

    [Fact]
    public void Long_strings_are_never_pooled()
    {
        var pool = new StringPool();
        var long1 = new string('x', StringPool.MaxLength + 1);
        Assert.Same(long1, pool.Intern(long1));
        Assert.NotSame(long1, pool.Intern(new string('x', StringPool.MaxLength + 1)));
        Assert.Equal(0, pool.Count);
    }

    [Fact]
    public void A_pooled_map_is_an_equal_copy_whose_value_equal_to_the_name_shares_the_name()
    {
        var pool = new StringPool();
        var name = new string('n', 4);
        var map = new Dictionary<string, string> { ["kubernetes.io/hostname"] = new string('n', 4), ["os"] = "ubuntu" };

        var copy = pool.Intern(map, name)!;

        Assert.Equal(map, copy);
        Assert.NotSame(map, copy);
        Assert.Same(name, copy["kubernetes.io/hostname"]);
        Assert.Null(pool.Intern(null));
        Assert.Equal(3, pool.Count); // both keys and "ubuntu", not the host name
    }
}
