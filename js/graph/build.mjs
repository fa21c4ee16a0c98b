// Builds the one file the Python package ships (kgraph/ui/graph/assets/kgraph-graph.js)
// from the locked npm packages: `npm ci && npm run build` in js/graph. The layout worker
// is built first and inlined as text, so the page loads nothing from elsewhere.
import { build } from "esbuild";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";

const OUT = process.env.KGRAPH_GRAPH_OUT || "../../kgraph/ui/graph/assets";
const common = { metafile: true, bundle: true, minify: true, legalComments: "none", target: ["es2020"], logLevel: "warning" };
mkdirSync("build", { recursive: true });
mkdirSync(OUT, { recursive: true });
const worker = await build({ ...common, entryPoints: ["src/layout.worker.js"], format: "iife", outfile: "build/layout.worker.txt" });
const main = await build({
  ...common,
  entryPoints: ["src/index.js"],
  format: "iife",
  globalName: "KgraphGraph",
  loader: { ".txt": "text", ".css": "text" },
  outfile: `${OUT}/kgraph-graph.js`,
  banner: { js: "/* kgraph graph drawing: sigma.js + graphology, see LICENSES.txt beside this file */" },
});

// LICENSES.txt: every npm package that ended up in the file, with its licence text.
const packages = new Set();
for (const result of [worker, main]) {
  for (const input of Object.keys(result.metafile.inputs)) {
    const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (m) packages.add(m[1]);
  }
}
const parts = [
  "Third-party code bundled in kgraph-graph.js (built by js/graph/build.mjs from js/graph/package-lock.json).",
  "The vis-network fallback is not in this file: it is the copy the pyvis package ships (MIT/Apache-2.0).",
  "",
];
for (const name of [...packages].sort()) {
  const dir = `node_modules/${name}`;
  const meta = JSON.parse(readFileSync(`${dir}/package.json`, "utf8"));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
  parts.push("=".repeat(78), `${name} ${meta.version} (${meta.license})`, "=".repeat(78));
  parts.push(file && existsSync(`${dir}/${file}`) ? readFileSync(`${dir}/${file}`, "utf8").trim() : `License: ${meta.license}`, "");
}
writeFileSync(`${OUT}/LICENSES.txt`, parts.join("\n"));
