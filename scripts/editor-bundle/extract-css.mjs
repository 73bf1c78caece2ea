// Tiptap injects its base CSS as a <style> element, which the CSP forbids (injectCSS: false in editor.js):
// copy the same rules out of @tiptap/core into a static file instead, with prosemirror-tables' cell selection.
import { readFileSync } from "node:fs";

const core = readFileSync("node_modules/@tiptap/core/dist/index.js", "utf8");
const m = core.match(/const style = `([\s\S]*?)`;/);
if (!m) throw new Error("Tiptap's base CSS not found in @tiptap/core: check extract-css.mjs");
const tables = readFileSync("node_modules/prosemirror-tables/style/tables.css", "utf8");
const version = JSON.parse(readFileSync("node_modules/@tiptap/core/package.json", "utf8")).version;
process.stdout.write(`/* Tiptap ${version} base styles (MIT, see LICENSES.txt) */\n${m[1]}\n\n/* prosemirror-tables (MIT) */\n${tables}`);
