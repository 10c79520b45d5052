namespace Contree.Tests.Common;

/// <summary>How a <see cref="RegistryFixture"/> registry authenticates clients.</summary>
public enum RegistryAuthMode
{
    /// <summary>No authentication.</summary>
    Anonymous,

    /// <summary>htpasswd: HTTP Basic with a bcrypt password file.</summary>
    Basic,

    /// <summary>Bearer token challenge (<c>auth: silly</c>) with a token endpoint run by the fixture that checks Basic credentials.</summary>
    Token,
}
