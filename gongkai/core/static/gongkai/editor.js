/* The clerks' rich-text editor: every <textarea data-rich-text> becomes a Tiptap editor (vendor/tiptap, MIT) with
   a Chinese toolbar — 段落, 标题, 加粗, 列表, 表格, 链接, 插入图片 (where the textarea names an upload address in
   data-image-upload), 撤销. The textarea stays in the form (hidden) and always
   holds the editor's HTML, so the page posts what it posted before; the server sanitises it (core/richtext.py).
   Without JavaScript the textarea is the editor: lines typed there become paragraphs on save.
   CSP: no inline style or script is written (Tiptap's own <style> is off, its CSS is vendor/tiptap/tiptap.css). */
(function () {
  "use strict";
  var T = window.GongkaiTiptap;
  if (!T || !document.querySelector) { return; }

  // The same rule as core/richtext.py looks_like_html: text without any tag is plain text, one line a paragraph.
  var LOOKS_LIKE_TAG = /<(?:\/?(?:p|br|div|span|strong|b|em|i|u|s|a|ul|ol|li|h[1-6]|table|caption|colgroup|col|thead|tbody|tfoot|tr|th|td|blockquote|sub|sup|font|pre|code|hr|img|svg|math|script|style|iframe|object|embed|form|input|button|link|meta|base)\b[^<>]*>|!--)/i;
  var LINK_OK = /^(https?:\/\/[^\s]+|mailto:[^\s]+)$/i;

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function initialHtml(value) {
    if (LOOKS_LIKE_TAG.test(value)) { return value; }
    return value.split(/\r?\n/).filter(function (l) { return l.trim(); })
      .map(function (l) { return "<p>" + escapeHtml(l.trim()) + "</p>"; }).join("");
  }

  // The toolbar as data: each button's Chinese label, what it does, and when it shows as pressed or is offered.
  function buttons(levels, imageUpload) {
    return [
      { group: "块", items: [
        { label: "段落", run: function (c) { return c.setParagraph(); }, on: function (e) { return e.isActive("paragraph"); } },
        { label: "标题", run: function (c) { return c.toggleHeading({ level: levels[0] }); }, on: function (e) { return e.isActive("heading", { level: levels[0] }); } },
        { label: "小标题", run: function (c) { return c.toggleHeading({ level: levels[1] }); }, on: function (e) { return e.isActive("heading", { level: levels[1] }); } }
      ] },
      { group: "字", items: [
        { label: "加粗", run: function (c) { return c.toggleBold(); }, on: function (e) { return e.isActive("bold"); } },
        { label: "倾斜", run: function (c) { return c.toggleItalic(); }, on: function (e) { return e.isActive("italic"); } },
        { label: "下划线", run: function (c) { return c.toggleUnderline(); }, on: function (e) { return e.isActive("underline"); } }
      ] },
      { group: "列表", items: [
        { label: "项目列表", run: function (c) { return c.toggleBulletList(); }, on: function (e) { return e.isActive("bulletList"); } },
        { label: "编号列表", run: function (c) { return c.toggleOrderedList(); }, on: function (e) { return e.isActive("orderedList"); } }
      ] },
      { group: "表格", items: [
        { label: "插入表格", run: function (c) { return c.insertTable({ rows: 3, cols: 3, withHeaderRow: true }); }, offer: function (e) { return !e.isActive("table"); } },
        { label: "加一行", run: function (c) { return c.addRowAfter(); }, offer: inTable },
        { label: "加一列", run: function (c) { return c.addColumnAfter(); }, offer: inTable },
        { label: "删除行", run: function (c) { return c.deleteRow(); }, offer: inTable },
        { label: "删除列", run: function (c) { return c.deleteColumn(); }, offer: inTable },
        { label: "表头行", run: function (c) { return c.toggleHeaderRow(); }, offer: inTable },
        { label: "删除表格", run: function (c) { return c.deleteTable(); }, offer: inTable }
      ] },
      { group: "链接", items: [
        { label: "链接", link: true, on: function (e) { return e.isActive("link"); } },
        { label: "取消链接", run: function (c) { return c.extendMarkRange("link").unsetLink(); }, offer: function (e) { return e.isActive("link"); } }
      ] },
      { group: "图片", items: [
        { label: "插入图片", image: true, offer: function () { return imageUpload; } }
      ] },
      { group: "撤销", items: [
        { label: "撤销", run: function (c) { return c.undo(); }, can: function (e) { return e.can().undo(); } },
        { label: "重做", run: function (c) { return c.redo(); }, can: function (e) { return e.can().redo(); } }
      ] }
    ];
  }
  function inTable(e) { return e.isActive("table"); }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text) { el.textContent = text; }
    return el;
  }
  // A button that only runs script (never submits the form).
  function button(className, text) {
    var b = element("button", className, text);
    b.type = "button";
    return b;
  }
  // An <input type="…" id="…"> and the <label> that names it.
  function input(type, id, labelText) {
    var label = element("label", "", labelText);
    label.htmlFor = id;
    var field = element("input");
    field.type = type;
    field.id = id;
    return { label: label, field: field };
  }

  function mount(textarea, index) {
    var id = textarea.id || ("rte-" + index);
    var label = document.querySelector('label[for="' + id + '"]');
    var labelText = label ? label.textContent.replace(/[*（）]|必填/g, "").trim() : "正文";
    var levels = (textarea.getAttribute("data-headings") || "2,3").split(",").map(Number);
    var wrap = element("div", "rte");
    var toolbar = element("div", "rte-toolbar");
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "格式工具栏");  // it sits just above its field (the field's name would make two)
    var host = element("div", "rte-host");
    var linkPanel = element("div", "rte-link");
    linkPanel.hidden = true;
    var status = element("p", "rte-status visually-hidden");
    status.setAttribute("aria-live", "polite");
    textarea.parentNode.insertBefore(wrap, textarea);
    wrap.appendChild(toolbar);
    wrap.appendChild(linkPanel);
    wrap.appendChild(host);
    wrap.appendChild(status);
    wrap.appendChild(textarea);
    textarea.hidden = true;

    var attributes = { "class": "rte-content", role: "textbox", "aria-multiline": "true" };
    if (label) {
      label.id = label.id || (id + "_label");
      attributes["aria-labelledby"] = label.id;
      label.removeAttribute("for");  // a label cannot name a contenteditable; aria-labelledby does
    } else {
      attributes["aria-label"] = labelText;
    }
    var described = textarea.getAttribute("aria-describedby");
    if (described) { attributes["aria-describedby"] = described; }
    if (textarea.getAttribute("aria-invalid")) { attributes["aria-invalid"] = textarea.getAttribute("aria-invalid"); }

    var editor = new T.Editor({
      element: host,
      injectCSS: false,
      content: initialHtml(textarea.value),
      extensions: [
        T.StarterKit.configure({
          heading: { levels: levels },
          code: false, codeBlock: false, horizontalRule: false, strike: false,
          link: { openOnClick: false, autolink: true, defaultProtocol: "https", protocols: ["http", "https", "mailto"],
                  HTMLAttributes: { target: null, rel: null, "class": null } }
        }),
        T.Table.configure({ resizable: false }), T.TableRow, T.TableHeader, T.TableCell, T.Image,
        T.Placeholder.configure({ placeholder: "在此输入正文；回车另起一段。" })
      ],
      editorProps: { attributes: attributes }
    });
    textarea.gkEditor = editor;
    if (label) { label.addEventListener("click", function () { editor.commands.focus(); }); }

    var controls = [];
    var imageUpload = textarea.getAttribute("data-image-upload") || "";
    buttons(levels, imageUpload).forEach(function (group) {
      var g = element("span", "rte-group");
      g.setAttribute("role", "group");
      g.setAttribute("aria-label", group.group);
      group.items.forEach(function (item) {
        var b = button("rte-button", item.label);
        if (item.on) { b.setAttribute("aria-pressed", "false"); }
        b.addEventListener("mousedown", function (e) { e.preventDefault(); });  // keep the editor's selection
        b.addEventListener("click", function () {
          if (item.link) { openLink(); return; }
          if (item.image) { openImage(); return; }
          item.run(editor.chain().focus()).run();
        });
        g.appendChild(b);
        controls.push({ item: item, button: b });
      });
      toolbar.appendChild(g);
    });

    // The link panel: an address typed in a labelled field, checked here (and again by the server's sanitiser).
    var linkId = id + "_link";
    var linkControl = input("url", linkId, "链接地址"), linkInput = linkControl.field;
    linkInput.placeholder = "https://";
    var linkError = element("p", "error");
    linkError.hidden = true;
    linkError.id = linkId + "_error";
    var linkOk = button("", "确定");
    var linkCancel = button("secondary", "取消");
    [linkControl.label, linkInput, linkOk, linkCancel, linkError].forEach(function (el) { linkPanel.appendChild(el); });
    function openLink() {
      linkInput.value = editor.getAttributes("link").href || "";
      linkError.hidden = true;
      linkInput.removeAttribute("aria-invalid");
      linkPanel.hidden = false;
      linkInput.focus();
    }
    function closeLink() { linkPanel.hidden = true; editor.commands.focus(); }
    function applyLink() {
      var href = linkInput.value.trim();
      if (!LINK_OK.test(href)) {
        linkError.textContent = "链接地址须以 http://、https:// 或 mailto: 开头，例如 https://www.gov.cn/。";
        linkError.hidden = false;
        linkInput.setAttribute("aria-invalid", "true");
        linkInput.setAttribute("aria-describedby", linkError.id);
        linkInput.focus();
        return;
      }
      var chain = editor.chain().focus().extendMarkRange("link");
      if (editor.state.selection.empty && !editor.isActive("link")) {
        chain.insertContent({ type: "text", text: href, marks: [{ type: "link", attrs: { href: href } }] }).run();
      } else {
        chain.setLink({ href: href }).run();
      }
      closeLink();
    }
    linkOk.addEventListener("click", applyLink);
    linkCancel.addEventListener("click", closeLink);
    linkInput.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); applyLink(); }
      if (e.key === "Escape") { e.preventDefault(); closeLink(); }
    });

    // The picture panel (插入图片): a file, its 替代文本 (required unless marked 装饰性图片), uploaded to the record's
    // own address; the server checks the file (PNG/JPEG/GIF/WebP by its bytes), re-encodes it and answers its URL.
    var imagePanel = element("div", "rte-image");
    imagePanel.hidden = true;
    var imageFileId = id + "_image_file", imageAltId = id + "_image_alt", imageDecoId = id + "_image_deco";
    var fileControl = input("file", imageFileId, "图片文件（PNG、JPEG、GIF 或 WebP）"), imageFile = fileControl.field;
    imageFile.accept = "image/png,image/jpeg,image/gif,image/webp";
    var altControl = input("text", imageAltId, "替代文本（用文字说明图片的内容，供读屏软件朗读）"), imageAlt = altControl.field;
    imageAlt.maxLength = 200;
    var decoControl = input("checkbox", imageDecoId, "装饰性图片（不表达内容，无需替代文本）"), imageDeco = decoControl.field;
    var decoWrap = element("div", "check");
    decoWrap.appendChild(imageDeco);
    decoWrap.appendChild(decoControl.label);
    var imageError = element("p", "error");
    imageError.hidden = true;
    imageError.id = id + "_image_error";
    imageError.setAttribute("role", "alert");
    var imageActions = element("div", "rte-image-actions");
    var imageOk = button("", "上传并插入");
    var imageCancel = button("secondary", "取消");
    imageActions.appendChild(imageOk);
    imageActions.appendChild(imageCancel);
    [fileControl.label, imageFile, altControl.label, imageAlt, decoWrap, imageError, imageActions]
      .forEach(function (el) { imagePanel.appendChild(el); });
    wrap.insertBefore(imagePanel, host);
    function openImage() {
      imageFile.value = ""; imageAlt.value = ""; imageDeco.checked = false; imageAlt.disabled = false;
      imageError.hidden = true;
      imagePanel.hidden = false;
      imageFile.focus();
    }
    function closeImage() { imagePanel.hidden = true; editor.commands.focus(); }
    function imageFail(text, field) {
      imageError.textContent = text;
      imageError.hidden = false;
      imageOk.disabled = false;
      if (field) { field.setAttribute("aria-invalid", "true"); field.setAttribute("aria-describedby", imageError.id); field.focus(); }
    }
    imageDeco.addEventListener("change", function () { imageAlt.disabled = imageDeco.checked; });
    imageCancel.addEventListener("click", closeImage);
    imageOk.addEventListener("click", function () {
      var alt = imageAlt.value.trim();
      imageFile.removeAttribute("aria-invalid");
      imageAlt.removeAttribute("aria-invalid");
      if (!imageFile.files || !imageFile.files.length) { imageFail("请选择要插入的图片文件。", imageFile); return; }
      if (!alt && !imageDeco.checked) {
        imageFail("请填写替代文本；只有不表达内容的装饰性图片可以不填，请勾选“装饰性图片”。", imageAlt);
        return;
      }
      var token = textarea.form && textarea.form.querySelector('input[name="csrfmiddlewaretoken"]');
      var body = new FormData();
      body.append("image", imageFile.files[0]);
      imageOk.disabled = true;
      editor.gkAnnounce("正在上传图片……");
      fetch(imageUpload, { method: "POST", body: body, credentials: "same-origin",
                           headers: { "X-CSRFToken": token ? token.value : "" } })
        .then(function (response) {
          return response.json().catch(function () { return { error: "上传失败，请稍后重试。" }; });
        })
        .then(function (answer) {
          if (!answer.url) { imageFail(answer.error || "上传失败，请稍后重试。", imageFile); return; }
          imageOk.disabled = false;
          editor.chain().focus().setImage({ src: answer.url, alt: imageDeco.checked ? "" : alt }).run();
          imagePanel.hidden = true;
          editor.gkAnnounce("已插入图片，保存后生效。");
        })
        .catch(function () { imageFail("上传失败，请检查网络后重试。", imageFile); });
    });
    imagePanel.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { e.preventDefault(); closeImage(); }
    });

    function refresh() {
      controls.forEach(function (c) {
        if (c.item.offer) { c.button.hidden = !c.item.offer(editor); }
        if (c.item.on) { c.button.setAttribute("aria-pressed", c.item.on(editor) ? "true" : "false"); }
        if (c.item.can) { c.button.disabled = !c.item.can(editor); }
      });
    }
    function sync() { textarea.value = editor.isEmpty ? "" : editor.getHTML(); }
    editor.on("transaction", refresh);
    editor.on("update", sync);
    refresh();
    sync();
    if (textarea.form) { textarea.form.addEventListener("submit", sync); }

    editor.gkAnnounce = function (text) { status.textContent = ""; status.textContent = text; };
    return editor;
  }

  // 「插入到本部分」: with the editor on the page, the generated paragraph goes into the section at once, as a
  // paragraph (not as tags), and is saved with the form; without JavaScript the button posts as before.
  function insertButtons() {
    document.querySelectorAll("button[data-insert-into]").forEach(function (button) {
      button.addEventListener("click", function (e) {
        var textarea = document.querySelector('textarea[name="' + button.getAttribute("data-insert-into") + '"]');
        var editor = textarea && textarea.gkEditor;
        if (!editor) { return; }
        e.preventDefault();
        var paragraph = { type: "paragraph", content: [{ type: "text", text: button.getAttribute("data-insert-text") }] };
        if (editor.isEmpty) {
          editor.chain().setContent({ type: "doc", content: [paragraph] }, { emitUpdate: true }).focus("end").run();
        } else {
          editor.chain().insertContentAt(editor.state.doc.content.size, paragraph).focus("end").run();
        }
        editor.gkAnnounce("已插入生成的段落，保存后生效。");
        button.disabled = true;  // once: a second click would put the paragraph in twice
        button.textContent = "已插入";
      });
    });
  }

  // The error summary links to a field by its id: for a rich-text field that is the hidden textarea, so the
  // link takes the focus to the editor instead.
  function summaryLinks() {
    document.addEventListener("click", function (e) {
      var link = e.target.closest && e.target.closest('a[href^="#"]');
      var target = link && document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (target && target.gkEditor) { e.preventDefault(); target.gkEditor.commands.focus(); }
    });
  }

  function start() {
    document.querySelectorAll("textarea[data-rich-text]").forEach(mount);
    insertButtons();
    summaryLinks();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
