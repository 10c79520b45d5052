import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import fs from "node:fs";
// Usage: node flood.mjs <contree-mcp executable> <empty work dir> <OCI layout dir from make-layout.py>
const [server, root, layout] = process.argv.slice(2);
fs.mkdirSync(root + "/home", { recursive: true });
const transport = new StdioClientTransport({ command: server, args: ["--backend", "local", "--data-dir", root + "/data",
  "--cache-files", root + "/files.db", "--cache-general", root + "/cache.db"],
  env: { ...process.env, HOME: root + "/home", CONTREE_MCP_CONFIG: root + "/none.ini" }, stderr: "ignore" });
const client = new Client({ name: "ts-flood", version: "1" });
await client.connect(transport);
const pid = transport.pid;
const rss = (k) => Number(fs.readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(k + ":\\s+(\\d+)"))[1]) / 1024;
const imp = await client.callTool({ name: "contree_import_image", arguments: { registry_url: `oci:${layout}:1`, wait: true } });
const image = imp.structuredContent.result_image;
for (let i = 0; i < 3; i++) await client.callTool({ name: "contree_run", arguments: { command: "echo hi", image } });
const idle = rss("VmRSS");
const t0 = Date.now();
try {
  const r = await client.callTool({ name: "contree_run", arguments: { command: "head -c 300000000 /dev/zero | tr '\\0' a", image,
    truncate_output_at: 67108864, timeout: 600 } }, undefined, { timeout: 600000 });
  const size = Buffer.byteLength(JSON.stringify(r));
  console.log(JSON.stringify({ ok: true, seconds: (Date.now() - t0) / 1000, idleMiB: idle.toFixed(1), peakMiB: rss("VmHWM").toFixed(1),
    responseBytes: size, stdout_bytes: r.structuredContent?.stdout_bytes, omitted: r.structuredContent?.stdout_omitted_bytes }));
} catch (e) {
  let peak = "gone"; try { peak = rss("VmHWM").toFixed(1); } catch {}
  console.log(JSON.stringify({ ok: false, seconds: (Date.now() - t0) / 1000, error: String(e.message ?? e), idleMiB: idle.toFixed(1), peakMiB: peak }));
}
await client.close().catch(() => {});
process.exit(0);
