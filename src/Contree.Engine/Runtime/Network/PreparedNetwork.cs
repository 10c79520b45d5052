namespace Contree.Engine.Runtime.Network;

/// <summary>The network namespace of an <c>internet</c> run with its slirp4netns attached and ready.</summary>
internal sealed record PreparedNetwork(RunNetworkNamespace Namespace, SlirpProcess Slirp) : IDisposable
{
    public void Dispose()
    {
        Slirp.Dispose();
        Namespace.Dispose();
    }
}
