namespace Contree.Core.Models;

/// <summary>Which output of an instance's command: standard output or standard error.</summary>
public enum OutputStream
{
    Stdout,
    Stderr,
}
