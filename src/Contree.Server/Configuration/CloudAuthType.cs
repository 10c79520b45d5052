namespace Contree.Server.Configuration;

/// <summary>How the cloud backend authenticates (the <c>type</c> of a contree-cli profile).</summary>
internal enum CloudAuthType
{
    /// <summary>The legacy contree.dev flow: a bearer token only.</summary>
    Jwt,

    /// <summary>Nebius IAM (Token Factory): a bearer token plus the project header.</summary>
    Iam,
}
