// The rich-text editor's vendored bundle: Tiptap (MIT) and ProseMirror (MIT), as one script that needs no module
// loader and nothing from outside (the CSP allows 'self' only). It exposes the classes on window.GongkaiTiptap;
// the toolbar, the Chinese labels and the form wiring are ours, in gongkai/core/static/gongkai/editor.js.
import { Editor } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import { Table, TableRow, TableHeader, TableCell } from "@tiptap/extension-table";
import { Placeholder } from "@tiptap/extensions";
import Image from "@tiptap/extension-image";

// The table as plain HTML: no colgroup and no inline style in getHTML() (the CSP forbids inline styles, and the
// server's sanitiser would drop them anyway). In the editor a table is drawn by Tiptap's TableView (CSSOM only).
const PlainTable = Table.extend({
  renderHTML({ HTMLAttributes }) {
    const { style, ...attrs } = HTMLAttributes;
    return ["table", attrs, ["tbody", 0]];
  },
});

// Pictures: only what the server's sanitiser keeps (src on our own attachment address, alt, width, height); no
// base64 (a pasted or dropped picture is refused: it goes through the upload, which checks and re-encodes it).
const PlainImage = Image.configure({ inline: false, allowBase64: false });

window.GongkaiTiptap = {
  Editor, StarterKit, Table: PlainTable, TableRow, TableHeader, TableCell, Placeholder, Image: PlainImage,
};
