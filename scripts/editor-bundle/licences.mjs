// Writes the licence of every npm package that ended up in the bundle (from esbuild's metafile).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const meta = JSON.parse(readFileSync(process.argv[2], "utf8"));
const packages = new Set();
for (const input of Object.keys(meta.inputs)) {
  const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (m) packages.add(m[1]);
}
const out = [
  "Licences of the npm packages bundled into tiptap.min.js and tiptap.css (built by scripts/editor-bundle).",
  "",
];
for (const name of [...packages].sort()) {
  const dir = join("node_modules", name);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.md|\.txt)?$/i.test(f));
  out.push("=".repeat(78), `${name} ${pkg.version} — ${pkg.license}`, "=".repeat(78));
  if (file) {
    out.push(readFileSync(join(dir, file), "utf8").trim());
  } else {
    throw new Error(`${name} ships no licence file: add its licence text by hand before vendoring it`);
  }
  out.push("");
}
process.stdout.write(out.join("\n"));
