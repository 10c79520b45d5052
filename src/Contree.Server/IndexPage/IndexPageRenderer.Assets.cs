namespace Contree.Server.IndexPage;

/// <summary>The page's inline style (GitHub-like dark theme with a light variant) and script (guides, tabs, copy buttons).</summary>
internal static partial class IndexPageRenderer
{
    private const string Css = """
        :root { --bg: #0d1117; --fg: #c9d1d9; --muted: #8b949e; --border: #30363d; --panel: #161b22; --accent: #58a6ff; --code: #1f2630; }
        @media (prefers-color-scheme: light) {
          :root { --bg: #ffffff; --fg: #24292f; --muted: #57606a; --border: #d0d7de; --panel: #f6f8fa; --accent: #0969da; --code: #eff1f3; }
        }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.55 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
        header { padding: 2rem 2rem 1rem; border-bottom: 1px solid var(--border); }
        header h1 { margin: 0; } .tagline, .meta { color: var(--muted); margin: .25rem 0 0; }
        nav { position: sticky; top: 0; background: var(--panel); border-bottom: 1px solid var(--border); padding: .6rem 2rem; z-index: 1; }
        nav a { color: var(--accent); margin-right: 1.2rem; text-decoration: none; }
        main { max-width: 1100px; margin: 0 auto; padding: 1rem 2rem; }
        section { margin: 2rem 0; }
        .box { border: 1px solid var(--border); border-radius: 6px; padding: 1rem; margin: 1rem 0; background: var(--panel); }
        .box h3 { margin-top: 0; }
        .tabs { margin-bottom: .5rem; }
        .tab { background: none; border: 1px solid var(--border); color: var(--fg); padding: .25rem .8rem; border-radius: 4px; cursor: pointer; }
        .tab.active { background: var(--accent); color: #fff; border-color: var(--accent); }
        .tab-content { display: none; } .tab-content.active { display: block; }
        pre { background: var(--code); padding: .8rem; border-radius: 6px; overflow-x: auto; margin: 0; }
        code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
        .code-block { position: relative; margin: .5rem 0; }
        .copy { position: absolute; top: .4rem; right: .4rem; font-size: 12px; padding: .15rem .5rem; cursor: pointer;
                background: var(--panel); color: var(--fg); border: 1px solid var(--border); border-radius: 4px; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
        th, td { border: 1px solid var(--border); padding: .45rem .6rem; text-align: left; vertical-align: top; }
        th { background: var(--panel); }
        .tool-name, .resource-name, .prompt-name { font-family: ui-monospace, monospace; font-weight: 600; white-space: nowrap; }
        .tool-params { color: var(--muted); margin-top: .3rem; font-size: 13px; }
        .param-name { font-family: ui-monospace, monospace; color: var(--fg); } .param-required { color: #f85149; }
        .guide { border: 1px solid var(--border); border-radius: 6px; margin: .5rem 0; }
        .guide-header { padding: .6rem 1rem; cursor: pointer; display: flex; justify-content: space-between; background: var(--panel); }
        .guide-title { font-family: ui-monospace, monospace; }
        .guide .guide-content { display: none; padding: 0 1rem 1rem; } .guide.open .guide-content { display: block; }
        .guide.open .toggle { transform: rotate(180deg); }
        footer { text-align: center; color: var(--muted); padding: 2rem; border-top: 1px solid var(--border); }
        @media (max-width: 768px) { main, header { padding: 1rem; } nav { padding: .5rem 1rem; } nav a { margin-right: .6rem; } .tool-name { white-space: normal; } }

        """;

    private const string Script = """
        document.querySelectorAll('.guide-header').forEach(function (h) {
          h.addEventListener('click', function () { h.parentElement.classList.toggle('open'); });
        });
        document.querySelectorAll('.box').forEach(function (box) {
          box.querySelectorAll('.tab').forEach(function (tab) {
            tab.addEventListener('click', function () {
              box.querySelectorAll('.tab').forEach(function (t) { t.classList.toggle('active', t === tab); });
              box.querySelectorAll('.tab-content').forEach(function (c) { c.classList.toggle('active', c.dataset.tab === tab.dataset.tab); });
            });
          });
        });
        document.querySelectorAll('.tab-content pre, .guide-content pre').forEach(function (pre) {
          var wrap = document.createElement('div'); wrap.className = 'code-block';
          pre.parentNode.insertBefore(wrap, pre); wrap.appendChild(pre);
          var button = document.createElement('button'); button.className = 'copy'; button.textContent = 'Copy';
          button.addEventListener('click', function () {
            var done = function (text) { button.textContent = text; setTimeout(function () { button.textContent = 'Copy'; }, 2000); };
            navigator.clipboard.writeText(pre.innerText).then(function () { done('Copied!'); }, function () { done('Failed'); });
          });
          wrap.appendChild(button);
        });

        """;
}
